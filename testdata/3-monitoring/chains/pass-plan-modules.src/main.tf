# The shape of a CIS baseline made of modules: the trail module creates the log group, the
# alarm module gets its name through a module output and a variable, and the alarms watch
# `aws_cloudwatch_log_metric_filter.x[0].id`, which equals the metric name here.
module "trail" {
  source = "./modules/trail"
}

module "alarms" {
  source         = "./modules/alarms"
  count          = 1
  log_group_name = module.trail.log_group
  namespace      = "CISBenchmark"
}

resource "aws_sns_topic_subscription" "security_team" {
  topic_arn = module.alarms[0].topic_arn
  protocol  = "email"
  endpoint  = "security-alerts@example.com"
}
