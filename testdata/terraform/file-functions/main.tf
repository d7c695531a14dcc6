# file() and templatefile() read only below the scanned directory; a path that leaves it
# is an error at the call and is never read.
locals {
  rules    = jsondecode(file("${path.module}/policies/rules.json"))
  rendered = templatefile("${path.module}/policies/cidr.tpl", { parts = ["0", "0", "0", "0"] })
  exists   = fileexists("${path.module}/policies/rules.json")
}

resource "aws_security_group" "from_file" {
  name = "from-file"

  ingress {
    from_port   = local.rules.port
    to_port     = local.rules.port
    protocol    = "tcp"
    cidr_blocks = local.rules.cidrs
  }

  ingress {
    from_port   = local.exists ? 3389 : 0
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [trimspace(local.rendered)]
  }
}

resource "aws_security_group" "escape" {
  name = "escape"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [file("../../../../../../../etc/passwd")]
  }
}
