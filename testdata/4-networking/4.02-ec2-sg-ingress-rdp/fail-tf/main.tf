resource "aws_security_group" "windows" {
  name = "windows"

  ingress {
    from_port   = 1024
    to_port     = 4098
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
