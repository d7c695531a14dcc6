# The status names the recorder by its default name ("default"); all_supported defaults
# to true.
resource "aws_config_configuration_recorder" "main" {
  role_arn = "arn:aws:iam::123456789012:role/aws-config"

  recording_group {
    include_global_resource_types = true
  }
}

resource "aws_config_delivery_channel" "main" {
  s3_bucket_name = "example-config-bucket"
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = "default"
  is_enabled = true
}
