#!/usr/bin/env bash
# Step of action.yml: runs cislint on INPUT_PATHS and
#   1. appends the Markdown report to $GITHUB_STEP_SUMMARY,
#   2. writes SARIF to INPUT_SARIF_FILE when given (for github/codeql-action/upload-sarif),
#   3. prints annotations (INPUT_FORMAT `github`: workflow commands; `gcc`: lines that the
#      problem matcher in .github/ turns into annotations),
# and exits with cislint's status for the annotation run (1: findings at or above fail-on).
set -uo pipefail
cislint="${CISLINT:-cislint}"
# Paths are separated by whitespace, as in `paths: infra/ stacks/network.yaml`.
read -r -a paths <<< "${INPUT_PATHS:-.}"
if [[ ${#paths[@]} -eq 0 ]]; then
  paths=(.)
fi
args=()
if [[ -n "${INPUT_SCOPE:-}" ]]; then args+=(--scope "$INPUT_SCOPE"); fi
if [[ -n "${INPUT_FAIL_ON:-}" ]]; then args+=(--fail-on "$INPUT_FAIL_ON"); fi
if [[ -n "${INPUT_CONFIG:-}" ]]; then args+=(--config "$INPUT_CONFIG"); fi
format="${INPUT_FORMAT:-github}"
case "$format" in
  github | gcc) ;;
  *)
    echo "::error title=cislint::format must be github or gcc, not '$format'"
    exit 2
    ;;
esac

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  "$cislint" "${args[@]}" --format markdown "${paths[@]}" >> "$GITHUB_STEP_SUMMARY"
fi
if [[ -n "${INPUT_SARIF_FILE:-}" ]]; then
  "$cislint" "${args[@]}" --quiet --format sarif --output "$INPUT_SARIF_FILE" "${paths[@]}"
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "sarif-file=$INPUT_SARIF_FILE" >> "$GITHUB_OUTPUT"; fi
fi

if [[ "$format" == gcc ]]; then
  echo "::add-matcher::${GITHUB_ACTION_PATH:-.}/.github/cislint-problem-matcher.json"
fi
"$cislint" "${args[@]}" --format "$format" "${paths[@]}"
status=$?
if [[ "$format" == gcc ]]; then
  echo "::remove-matcher owner=cislint::"
fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "exit-code=$status" >> "$GITHUB_OUTPUT"; fi
exit "$status"
