output "o" {
  value = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace("xxxxxxxx", "x", "xxxxxxxx"), "x", "xxxxxxxx"), "x", "xxxxxxxx"), "x", "xxxxxxxx"), "x", "xxxxxxxx"), "x", "xxxxxxxx"), "x", "xxxxxxxx"), "x", "xxxxxxxx"), "x", "xxxxxxxx"), "x", "xxxxxxxx"), "x", "xxxxxxxx"), "x", "xxxxxxxx")
}
