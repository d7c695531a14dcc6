# modules/used is evaluated through this call (port 443), not also as a root with its
# default (22); modules/orphan is called by nobody, so it is a root with its defaults.
module "used" {
  source = "./modules/used"
  port   = 443
}
