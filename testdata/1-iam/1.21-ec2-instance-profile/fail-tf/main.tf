resource "aws_instance" "bare" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
}

resource "aws_launch_template" "bare" {
  name_prefix = "bare"
  image_id    = "ami-12345678"
}

resource "aws_launch_configuration" "bare" {
  image_id      = "ami-12345678"
  instance_type = "t3.micro"
}

# A role, but also a key written into the user data.
resource "aws_instance" "key_in_user_data" {
  ami                  = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = "app"
  user_data            = <<-EOF
    #!/bin/bash
    export AWS_ACCESS_KEY_ID=AKIA2OGYBAH6ZQ3TWX4K
    aws s3 cp s3://example/config /etc/app/config
  EOF
}
