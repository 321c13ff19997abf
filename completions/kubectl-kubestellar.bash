_kubectl__kubestellar() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="kubectl__kubestellar"
                ;;
            kubectl__kubestellar,completion)
                cmd="kubectl__kubestellar__subcmd__completion"
                ;;
            kubectl__kubestellar,ensure)
                cmd="kubectl__kubestellar__subcmd__ensure"
                ;;
            kubectl__kubestellar,help)
                cmd="kubectl__kubestellar__subcmd__help"
                ;;
            kubectl__kubestellar,init)
                cmd="kubectl__kubestellar__subcmd__init"
                ;;
            kubectl__kubestellar,mailbox)
                cmd="kubectl__kubestellar__subcmd__mailbox"
                ;;
            kubectl__kubestellar,prep-for-cluster)
                cmd="kubectl__kubestellar__subcmd__prep__subcmd__for__subcmd__cluster"
                ;;
            kubectl__kubestellar,prep-for-syncer)
                cmd="kubectl__kubestellar__subcmd__prep__subcmd__for__subcmd__syncer"
                ;;
            kubectl__kubestellar,remove)
                cmd="kubectl__kubestellar__subcmd__remove"
                ;;
            kubectl__kubestellar,version)
                cmd="kubectl__kubestellar__subcmd__version"
                ;;
            kubectl__kubestellar__subcmd__ensure,help)
                cmd="kubectl__kubestellar__subcmd__ensure__subcmd__help"
                ;;
            kubectl__kubestellar__subcmd__ensure,location)
                cmd="kubectl__kubestellar__subcmd__ensure__subcmd__location"
                ;;
            kubectl__kubestellar__subcmd__ensure,wmw)
                cmd="kubectl__kubestellar__subcmd__ensure__subcmd__wmw"
                ;;
            kubectl__kubestellar__subcmd__ensure__subcmd__help,help)
                cmd="kubectl__kubestellar__subcmd__ensure__subcmd__help__subcmd__help"
                ;;
            kubectl__kubestellar__subcmd__ensure__subcmd__help,location)
                cmd="kubectl__kubestellar__subcmd__ensure__subcmd__help__subcmd__location"
                ;;
            kubectl__kubestellar__subcmd__ensure__subcmd__help,wmw)
                cmd="kubectl__kubestellar__subcmd__ensure__subcmd__help__subcmd__wmw"
                ;;
            kubectl__kubestellar__subcmd__help,completion)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__completion"
                ;;
            kubectl__kubestellar__subcmd__help,ensure)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__ensure"
                ;;
            kubectl__kubestellar__subcmd__help,help)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__help"
                ;;
            kubectl__kubestellar__subcmd__help,init)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__init"
                ;;
            kubectl__kubestellar__subcmd__help,mailbox)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__mailbox"
                ;;
            kubectl__kubestellar__subcmd__help,prep-for-cluster)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__prep__subcmd__for__subcmd__cluster"
                ;;
            kubectl__kubestellar__subcmd__help,prep-for-syncer)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__prep__subcmd__for__subcmd__syncer"
                ;;
            kubectl__kubestellar__subcmd__help,remove)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__remove"
                ;;
            kubectl__kubestellar__subcmd__help,version)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__version"
                ;;
            kubectl__kubestellar__subcmd__help__subcmd__ensure,location)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__ensure__subcmd__location"
                ;;
            kubectl__kubestellar__subcmd__help__subcmd__ensure,wmw)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__ensure__subcmd__wmw"
                ;;
            kubectl__kubestellar__subcmd__help__subcmd__init,espw)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__init__subcmd__espw"
                ;;
            kubectl__kubestellar__subcmd__help__subcmd__mailbox,list)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__mailbox__subcmd__list"
                ;;
            kubectl__kubestellar__subcmd__help__subcmd__mailbox,sync)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__mailbox__subcmd__sync"
                ;;
            kubectl__kubestellar__subcmd__help__subcmd__mailbox,watch)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__mailbox__subcmd__watch"
                ;;
            kubectl__kubestellar__subcmd__help__subcmd__remove,location)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__remove__subcmd__location"
                ;;
            kubectl__kubestellar__subcmd__help__subcmd__remove,wmw)
                cmd="kubectl__kubestellar__subcmd__help__subcmd__remove__subcmd__wmw"
                ;;
            kubectl__kubestellar__subcmd__init,espw)
                cmd="kubectl__kubestellar__subcmd__init__subcmd__espw"
                ;;
            kubectl__kubestellar__subcmd__init,help)
                cmd="kubectl__kubestellar__subcmd__init__subcmd__help"
                ;;
            kubectl__kubestellar__subcmd__init__subcmd__help,espw)
                cmd="kubectl__kubestellar__subcmd__init__subcmd__help__subcmd__espw"
                ;;
            kubectl__kubestellar__subcmd__init__subcmd__help,help)
                cmd="kubectl__kubestellar__subcmd__init__subcmd__help__subcmd__help"
                ;;
            kubectl__kubestellar__subcmd__mailbox,help)
                cmd="kubectl__kubestellar__subcmd__mailbox__subcmd__help"
                ;;
            kubectl__kubestellar__subcmd__mailbox,list)
                cmd="kubectl__kubestellar__subcmd__mailbox__subcmd__list"
                ;;
            kubectl__kubestellar__subcmd__mailbox,sync)
                cmd="kubectl__kubestellar__subcmd__mailbox__subcmd__sync"
                ;;
            kubectl__kubestellar__subcmd__mailbox,watch)
                cmd="kubectl__kubestellar__subcmd__mailbox__subcmd__watch"
                ;;
            kubectl__kubestellar__subcmd__mailbox__subcmd__help,help)
                cmd="kubectl__kubestellar__subcmd__mailbox__subcmd__help__subcmd__help"
                ;;
            kubectl__kubestellar__subcmd__mailbox__subcmd__help,list)
                cmd="kubectl__kubestellar__subcmd__mailbox__subcmd__help__subcmd__list"
                ;;
            kubectl__kubestellar__subcmd__mailbox__subcmd__help,sync)
                cmd="kubectl__kubestellar__subcmd__mailbox__subcmd__help__subcmd__sync"
                ;;
            kubectl__kubestellar__subcmd__mailbox__subcmd__help,watch)
                cmd="kubectl__kubestellar__subcmd__mailbox__subcmd__help__subcmd__watch"
                ;;
            kubectl__kubestellar__subcmd__remove,help)
                cmd="kubectl__kubestellar__subcmd__remove__subcmd__help"
                ;;
            kubectl__kubestellar__subcmd__remove,location)
                cmd="kubectl__kubestellar__subcmd__remove__subcmd__location"
                ;;
            kubectl__kubestellar__subcmd__remove,wmw)
                cmd="kubectl__kubestellar__subcmd__remove__subcmd__wmw"
                ;;
            kubectl__kubestellar__subcmd__remove__subcmd__help,help)
                cmd="kubectl__kubestellar__subcmd__remove__subcmd__help__subcmd__help"
                ;;
            kubectl__kubestellar__subcmd__remove__subcmd__help,location)
                cmd="kubectl__kubestellar__subcmd__remove__subcmd__help__subcmd__location"
                ;;
            kubectl__kubestellar__subcmd__remove__subcmd__help,wmw)
                cmd="kubectl__kubestellar__subcmd__remove__subcmd__help__subcmd__wmw"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        kubectl__kubestellar)
            opts="-v -q -h -V --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__completion)
            opts="-v -q -h -V --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version bash elvish fish powershell zsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__ensure)
            opts="-v -q -h -V --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version location wmw help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__ensure__subcmd__help)
            opts="location wmw help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__ensure__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__ensure__subcmd__help__subcmd__location)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__ensure__subcmd__help__subcmd__wmw)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__ensure__subcmd__location)
            opts="-v -q -h -V --imw --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --imw)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__ensure__subcmd__wmw)
            opts="-v -q -h -V --with-kube --timeout --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --with-kube)
                    COMPREPLY=($(compgen -W "true false" -- "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help)
            opts="mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__completion)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__ensure)
            opts="location wmw"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__ensure__subcmd__location)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__ensure__subcmd__wmw)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__init)
            opts="espw"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__init__subcmd__espw)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__mailbox)
            opts="sync list watch"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__mailbox__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__mailbox__subcmd__sync)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__mailbox__subcmd__watch)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__prep__subcmd__for__subcmd__cluster)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__prep__subcmd__for__subcmd__syncer)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__remove)
            opts="wmw location"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__remove__subcmd__location)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__remove__subcmd__wmw)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__help__subcmd__version)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__init)
            opts="-v -q -h -V --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version espw help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__init__subcmd__espw)
            opts="-o -v -q -h -V --dry-run --timeout --output --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table json yaml" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table json yaml" -- "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__init__subcmd__help)
            opts="espw help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__init__subcmd__help__subcmd__espw)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__init__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__mailbox)
            opts="-v -q -h -V --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version sync list watch help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__mailbox__subcmd__help)
            opts="sync list watch help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__mailbox__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__mailbox__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__mailbox__subcmd__help__subcmd__sync)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__mailbox__subcmd__help__subcmd__watch)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__mailbox__subcmd__list)
            opts="-o -v -q -h -V --output --no-headers --sync-target --problems --layout --mailbox-parent --inventory-export-path --inventory-export-name --sync-target-group --sync-target-version --binding-export-path --binding-export-name --sync-target-name-annotation --endpoint-slice --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output)
                    COMPREPLY=($(compgen -W "table wide json yaml name" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table wide json yaml name" -- "${cur}"))
                    return 0
                    ;;
                --sync-target)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --layout)
                    COMPREPLY=($(compgen -W "v0.14 poc2023q1" -- "${cur}"))
                    return 0
                    ;;
                --mailbox-parent)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inventory-export-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inventory-export-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-group)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --binding-export-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --binding-export-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-name-annotation)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-slice)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__mailbox__subcmd__sync)
            opts="-o -v -q -h -V --dry-run --layout --mailbox-parent --inventory-export-path --inventory-export-name --sync-target-group --sync-target-version --binding-export-path --binding-export-name --sync-target-name-annotation --endpoint-slice --concurrency --no-prune --timeout --output --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --layout)
                    COMPREPLY=($(compgen -W "v0.14 poc2023q1" -- "${cur}"))
                    return 0
                    ;;
                --mailbox-parent)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inventory-export-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inventory-export-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-group)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --binding-export-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --binding-export-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-name-annotation)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-slice)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "table json yaml" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "table json yaml" -- "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__mailbox__subcmd__watch)
            opts="-v -q -h -V --concurrency --layout --mailbox-parent --inventory-export-path --inventory-export-name --sync-target-group --sync-target-version --binding-export-path --binding-export-name --sync-target-name-annotation --endpoint-slice --metrics-bind-address --resync-period --leader-elect --leader-elect-lease-duration --leader-elect-renew-deadline --leader-elect-retry-period --leader-elect-id --log-format --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --layout)
                    COMPREPLY=($(compgen -W "v0.14 poc2023q1" -- "${cur}"))
                    return 0
                    ;;
                --mailbox-parent)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inventory-export-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inventory-export-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-group)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --binding-export-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --binding-export-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-name-annotation)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-slice)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --metrics-bind-address)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resync-period)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leader-elect-lease-duration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leader-elect-renew-deadline)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leader-elect-retry-period)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --leader-elect-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --log-format)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__prep__subcmd__for__subcmd__cluster)
            opts="-o -s -v -q -h -V --imw --syncer-image --silent --timeout --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --imw)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --syncer-image)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__prep__subcmd__for__subcmd__syncer)
            opts="-o -s -v -q -h -V --imw --espw --syncer-image --silent --timeout --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --imw)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --syncer-image)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__remove)
            opts="-v -q -h -V --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version wmw location help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__remove__subcmd__help)
            opts="wmw location help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__remove__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__remove__subcmd__help__subcmd__location)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__remove__subcmd__help__subcmd__wmw)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__remove__subcmd__location)
            opts="-v -q -h -V --imw --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --imw)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__remove__subcmd__wmw)
            opts="-i -v -q -h -V --parent --interactive --force --wait --timeout --layout --mailbox-parent --inventory-export-path --inventory-export-name --sync-target-group --sync-target-version --binding-export-path --binding-export-name --sync-target-name-annotation --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --parent)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --wait)
                    COMPREPLY=($(compgen -W "true false" -- "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --layout)
                    COMPREPLY=($(compgen -W "v0.14 poc2023q1" -- "${cur}"))
                    return 0
                    ;;
                --mailbox-parent)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inventory-export-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inventory-export-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-group)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --binding-export-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --binding-export-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sync-target-name-annotation)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        kubectl__subcmd__kubestellar__subcmd__version)
            opts="-v -q -h -V --kubeconfig --context --espw-path --verbose --quiet --request-timeout --kcp-generation --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --kubeconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --context)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --espw-path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kcp-generation)
                    COMPREPLY=($(compgen -W "0.11 0.32" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _kubectl__kubestellar -o nosort -o bashdefault -o default kubectl-kubestellar
else
    complete -F _kubectl__kubestellar -o bashdefault -o default kubectl-kubestellar
fi
