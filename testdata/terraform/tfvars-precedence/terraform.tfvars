port = 443
open_cidr = "0.0.0.0/0"
