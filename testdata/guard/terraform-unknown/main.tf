variable "tags" {
  type = map(string)
}

variable "name" {
  type = string
}

variable "copies" {
  type = number
}

variable "versioned" {
  type = bool
}

resource "aws_s3_bucket" "tagged_later" {
  bucket = "fixed"
  tags   = var.tags
  versioning {
    enabled = var.versioned
  }
}

resource "aws_s3_bucket" "named_later" {
  bucket = var.name
  tags = {
    owner = "platform"
  }
  versioning {
    enabled = true
  }
}

resource "aws_s3_bucket" "maybe" {
  count  = var.copies
  bucket = "maybe"
  versioning {
    enabled = false
  }
}
