# modules/used is evaluated through this call (port 443), not also as a root with its
# default (22); modules/orphan is called by nobody, so it is a root with its defaults.
module "used" {
  source = "./modules/used"
  port   = 443
}

# The same, with the source written with an escape (`\u002e` is `.`): cislint groups
# directories by the source strings it sees in the text before parsing; a call it cannot
# see there must still keep modules/escaped from being taken for a root.
module "escaped" {
  source = "\u002e/modules/escaped"
  port   = 443
}
