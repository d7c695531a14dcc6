module "net" {
  source = "./modules/net"
  cidr   = "10.0.0.0/16"
}

resource "aws_flow_log" "net" {
  vpc_id          = module.net.vpc_id
  traffic_type    = "REJECT"
  log_destination = "arn:aws:s3:::example-flow-logs"
}

# A VPC of the root module, logged by a flow log inside a module.
resource "aws_vpc" "root" {
  cidr_block = "10.9.0.0/16"
}

module "flow" {
  source = "./modules/flow"
  vpc_id = aws_vpc.root.id
}
