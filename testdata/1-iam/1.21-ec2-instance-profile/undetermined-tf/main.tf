variable "instance_profile" {
  type = string
}

resource "aws_instance" "app" {
  ami                  = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = var.instance_profile
}
