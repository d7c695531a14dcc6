resource "aws_vpc" "app" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "shared" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc_peering_connection" "app_shared" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.shared.id
  auto_accept = true
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id

  route {
    cidr_block                = "0.0.0.0/0"
    vpc_peering_connection_id = aws_vpc_peering_connection.app_shared.id
  }

  route {
    cidr_block                = "10.20.5.0/24"
    vpc_peering_connection_id = aws_vpc_peering_connection.app_shared.id
  }
}

resource "aws_route" "ipv6" {
  route_table_id              = aws_route_table.app.id
  destination_ipv6_cidr_block = "::/0"
  vpc_peering_connection_id   = aws_vpc_peering_connection.app_shared.id
}

resource "aws_route" "literal" {
  route_table_id            = "rtb-12345678"
  destination_cidr_block    = "0.0.0.0/0"
  vpc_peering_connection_id = "pcx-12345678"
}
