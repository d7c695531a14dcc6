resource "aws_account_primary_contact" "this" {
  address_line_1  = "1 Example Street"
  city            = "Example City"
  country_code    = "US"
  full_name       = "Cloud Operations"
  phone_number    = "+15555550100"
  postal_code     = "12345"
  state_or_region = "WA"
  company_name    = "Example Corp"
}
