resource "aws_instance" "bare" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  user_data     = "export AWS_ACCESS_KEY_ID=AKIA2OGYBAH6ZQ3TWX4K"
}

resource "aws_launch_template" "bare" {
  name_prefix = "bare"
  image_id    = "ami-12345678"
}

resource "aws_launch_configuration" "with_profile" {
  image_id             = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = "app"
}

# Base64 user data (a launch template must encode it): the whole value.
resource "aws_launch_template" "encoded" {
  name_prefix = "encoded"
  iam_instance_profile {
    name = "app"
  }
  user_data = base64encode("#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIA2OGYBAH6ZQ3TWX4K\n")
}
