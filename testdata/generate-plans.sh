#!/usr/bin/env bash
# Regenerates every plan-JSON fixture from its Terraform source with real Terraform, offline.
#
# A plan case `<dir>/<case>/` (with expected.txt) is made from the sibling folder
# `<dir>/<case>.src/` (*.tf, no provider block needed): the sources are copied into a
# scratch directory with a provider block using dummy credentials, then
# `terraform plan -refresh=false` and `terraform show -json` write `<case>/tfplan.json`
# (pretty-printed so that findings have readable lines).
#
# `generate-plans.sh [FILTER]` regenerates only the cases whose path contains FILTER.
# A case directory that holds its own *.tf files and a line `# plan: here` in expected.txt
# gets its tfplan.json from those files instead (a plan scanned with its configuration).
#
# Needs: terraform >= 1.5 and the AWS provider in a plugin directory
# (TF_PLUGIN_DIR, default /opt/tf-plugins; `find / -name 'terraform-provider-aws*'`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
plugins=${TF_PLUGIN_DIR:-/opt/tf-plugins}
command -v terraform >/dev/null || { echo "terraform not found" >&2; exit 1; }
export TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1
filter=${1:-}
{
  find "$here" -type d -name '*.src' | sort | sed 's/$/ src/'
  grep -rl --include=expected.txt '^# plan: here' "$here" | xargs -r -n1 dirname | sort | sed 's/$/ here/'
} | while read -r src mode; do
  [[ -z "$filter" || "$src" == *"$filter"* ]] || continue
  if [ "$mode" = here ]; then case_dir=$src; else case_dir=${src%.src}; fi
  work=$(mktemp -d)
  cp -r "$src"/. "$work"/   # *.tf and local module folders
  cat > "$work/zz_provider_override.tf" <<'TF'
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
TF
  (cd "$work" && terraform init -plugin-dir="$plugins" -input=false >/dev/null \
    && terraform plan -refresh=false -input=false -out=plan.bin >/dev/null \
    && terraform show -json plan.bin | python3 -m json.tool --indent 2 > plan.json)
  mkdir -p "$case_dir"
  cp "$work/plan.json" "$case_dir/tfplan.json"
  rm -rf "$work"
  echo "wrote ${case_dir#"$here"/}/tfplan.json"
done
