resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_instance_profile" "app" {
  name = "app"
  role = aws_iam_role.app.name
}

resource "aws_instance" "app" {
  ami                  = "ami-12345678"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.app.name
  # The documentation's example key is not a credential.
  user_data = "echo AKIAIOSFODNN7EXAMPLE"
}

resource "aws_launch_template" "app" {
  name_prefix = "app"
  iam_instance_profile {
    arn = aws_iam_instance_profile.app.arn
  }
}

# The profile comes from the launch template.
resource "aws_instance" "from_template" {
  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest"
  }
}

# EKS managed node groups supply the instance profile; their templates must not set one.
resource "aws_launch_template" "eks" {
  name_prefix = "eks"
}

resource "aws_eks_node_group" "workers" {
  cluster_name  = "main"
  node_role_arn = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids    = ["subnet-12345678"]
  scaling_config {
    desired_size = 1
    max_size     = 1
    min_size     = 1
  }
  launch_template {
    id      = aws_launch_template.eks.id
    version = aws_launch_template.eks.latest_version
  }
}
