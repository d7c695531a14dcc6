output "name" {
  value = "out"
}
