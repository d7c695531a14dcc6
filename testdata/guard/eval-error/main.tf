# Enough Terraform for the good rules file to find something.
resource "aws_instance" "worker" {
  ami           = "ami-12345678"
  instance_type = "t3.small"
}
