variable "destination" {
  type = string
}

variable "peering_connection_id" {
  type = string
}

resource "aws_route" "to_peer" {
  route_table_id            = "rtb-12345678"
  destination_cidr_block    = var.destination
  vpc_peering_connection_id = "pcx-12345678"
}

# The variable may be null, so this may not be a peering route.
resource "aws_route" "maybe_peer" {
  route_table_id            = "rtb-12345678"
  destination_cidr_block    = "0.0.0.0/0"
  vpc_peering_connection_id = var.peering_connection_id
}
