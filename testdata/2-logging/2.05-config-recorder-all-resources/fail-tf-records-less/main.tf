resource "aws_config_configuration_recorder" "listed" {
  name     = "listed"
  role_arn = "arn:aws:iam::123456789012:role/aws-config"

  recording_group {
    all_supported  = false
    resource_types = ["AWS::EC2::Instance", "AWS::S3::Bucket"]
  }
}

resource "aws_config_configuration_recorder_status" "listed" {
  name       = aws_config_configuration_recorder.listed.name
  is_enabled = true
}

resource "aws_config_configuration_recorder" "excluding" {
  name     = "excluding"
  role_arn = "arn:aws:iam::123456789012:role/aws-config"

  recording_group {
    all_supported = false

    exclusion_by_resource_types {
      resource_types = ["AWS::EC2::Instance"]
    }

    recording_strategy {
      use_only = "EXCLUSION_BY_RESOURCE_TYPES"
    }
  }
}

resource "aws_config_configuration_recorder_status" "excluding" {
  name       = aws_config_configuration_recorder.excluding.name
  is_enabled = true
}
