resource "aws_route" "peer_subnet" {
  route_table_id            = "rtb-12345678"
  destination_cidr_block    = "10.20.5.0/24"
  vpc_peering_connection_id = "pcx-12345678"
}

# A default route through an internet gateway is not a peering route.
resource "aws_route_table" "public" {
  vpc_id = "vpc-12345678"

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = "igw-12345678"
  }
}

resource "aws_route" "internet" {
  route_table_id         = "rtb-12345678"
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = "igw-12345678"
}
