variable "acl" {
  type = string
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
  acl    = "public-read"
  tags = {
    owner = "platform"
  }
  lifecycle_rule {
    enabled = false
  }
  lifecycle_rule {
    enabled = true
  }
}

resource "aws_s3_bucket" "data" {
  bucket = "data"
  acl    = var.acl
  tags = {
    Name = "data"
  }
  lifecycle_rule {
    enabled = false
  }
}

resource "aws_instance" "web" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  monitoring    = false
}

resource "aws_instance" "worker" {
  ami           = "ami-12345678"
  instance_type = "t3.small"
  monitoring    = true
}
