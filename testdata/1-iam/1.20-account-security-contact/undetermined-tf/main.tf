variable "contact_type" {
  type = string
}

resource "aws_account_alternate_contact" "maybe" {
  alternate_contact_type = var.contact_type
  name                   = "Someone"
  title                  = "Someone"
  email_address          = "someone@example.com"
  phone_number           = "+15555550103"
}
