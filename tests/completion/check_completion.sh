#!/usr/bin/env bash
# Checks completion/trouvere.bash as bash-completion runs it: the completions offered for a
# command line typed so far, with the commands of the build folder given first on PATH.
#   check_completion.sh SCRIPT BUILD_DIR
set -uo pipefail
script=$1
export PATH=$2:$PATH
# bash_completion tests for an interactive shell's settings; these are what it needs.
source /usr/share/bash-completion/bash_completion || exit 1
source "$script" || exit 1

failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/db-one" "$work/db-two"
touch "$work/db-file"

# Completes the words given (the last one being typed) and compares the sorted offers.
expect() {
    local expected=$1
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _trouvere_search "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    local offered
    offered=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
    if [ "${offered% }" != "$expected" ]; then
        echo "completing '$*': expected '$expected', offered '${offered% }'" >&2
        failures=$((failures + 1))
    fi
}

expect "--sort --source" search --so
expect "--color --colour --count" search --co
expect "-n" search -n
expect "--no-snippets" search --no
expect "newest" search --sort ne
expect "auto native xapian" search --engine ""
expect "always auto" search --color a
expect "year,source" search --facets year,s
expect "source year" search --facets ""
expect "$work/db-file $work/db-one $work/db-two" search --db "$work/db-"
expect "$work/db-one $work/db-two" search-index --db "$work/db-"
expect "--allow-partial" search --al
expect "--shard" search-index --sh
expect "--listen" search serve --l
expect "--threads" search serve --t
expect "" search serve --listen ""
expect "$work/db-file $work/db-one $work/db-two" search serve --db "$work/db-"
expect "--limit" search --l
expect "--prune" search-index --pr
expect "-q" search-index -q
expect "--quiet" search-index --q
expect "$work/db-file $work/db-one $work/db-two" search-index "$work/db-"
exit $((failures > 0))
