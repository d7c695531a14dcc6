# Nothing any control judges: every control that needs a resource finds none.
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}
