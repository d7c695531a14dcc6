output "o" {
  value = [formatlist("%9999d", range(1000000)), format("%999999999d", 1), format("%.999999999f", 1), format("%-99999s|%099999x", "a", 255)]
}
