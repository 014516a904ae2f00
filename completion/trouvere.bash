# bash completion for search, search serve and search-index, installed under both names in
# share/bash-completion/completions. Option names come from the command's own --help, so that the
# completion offers exactly what the installed command accepts.

# The options listed under "Options:" in the --help of the command line given, one per line.
_trouvere_options() {
    "$@" --help 2>/dev/null | sed -n '/^Options:/,$p' | grep -oE '^[[:space:]]+-[^[:space:]]+' |
        tr -d '[:blank:]' | tr ',' '\n'
}

_trouvere_search() {
    local cur prev words cword
    _init_completion || return
    # `serve` is a subcommand only as the first argument; its options are its own.
    local command=("$1")
    [[ $1 == search && $cword -gt 1 && ${words[1]} == serve ]] && command+=(serve)

    case $prev in
        --db)
            # search also opens a cluster file (README, "Shards"); search-index writes a folder.
            if [[ $1 == search-index ]]; then _filedir -d; else _filedir; fi
            return
            ;;
        --color | --colour)
            COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
            return
            ;;
        --engine)
            COMPREPLY=($(compgen -W 'auto native xapian' -- "$cur"))
            return
            ;;
        --sort)
            COMPREPLY=($(compgen -W 'relevance newest oldest' -- "$cur"))
            return
            ;;
        --facets)
            # A comma-separated list: complete the name after the last comma.
            local done_part=""
            [[ $cur == *,* ]] && done_part=${cur%,*},
            COMPREPLY=($(compgen -P "$done_part" -W 'year source' -- "${cur##*,}"))
            return
            ;;
        -n | --limit | --offset | --snippet-chars | --since | --until | --source | --commit-every | \
            --wait | --listen | --threads | --shard)
            return
            ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '$(_trouvere_options "${command[@]}")' -- "$cur"))
    elif [[ $1 == search-index ]]; then
        _filedir
    fi
}
complete -F _trouvere_search search search-index
