# completions/ieum.bash: bash completion of the ieum command: its commands, `ieum tm`'s subcommands, each
# command's options and the values of the options that take a fixed set (--format, --from, ...); other
# arguments complete as file names.  It does not complete option values that are free text (languages,
# scores) and needs nothing from the bash-completion package.  Installed as
# share/bash-completion/completions/ieum; kept in step with each command's --help (tests/completion_bash.sh).

_ieum_options()
{
  case $1 in
    align) echo "-f --format --from --presegmented --paragraphs --src-lang --tgt-lang --encoding
      --src-encoding --tgt-encoding --srx --ratio --dict --min-score -o --output --tm --tmx --moses --report --swap --force --user --plain-tags -h --help" ;;
    batch) echo "--tm --manifest -j --jobs -q --quiet --follow-symlinks --from --presegmented --paragraphs
      --src-lang --tgt-lang --encoding --src-encoding --tgt-encoding --ratio --dict --min-score --low --learn
      --force --user --plain-tags -h --help" ;;
    segment) echo "-l --lang --paragraphs --blank-lines --roles --keep-furniture --srx --from --encoding -o --output -h --help" ;;
    extract) echo "-j --json --encoding -h --help" ;;
    serve) echo "--tm --host --port --tokens --threads --max-upload --add-token --scope --remove-token --list-tokens
      -h --help" ;;
    eval) echo "--src --tgt --only --encoding --src-encoding --tgt-encoding --dict --tm --ratio -q --quiet
      -h --help" ;;
    review) echo "--tm --port --no-browser --user --threshold --src-lang --tgt-lang --force -h --help" ;;
    tm) echo "-h --help" ;;
    tm-import) echo "--tm --src-lang --tgt-lang --tags --keep-duplicates --user --plain-tags -v --verbose -h --help" ;;
    tm-export) echo "--tm -f --format --moses --src-lang --tgt-lang --plain-tags --full-paths --roles --reviewed-only
      --min-score --threshold -o --output -h --help" ;;
    tm-stats) echo "--tm -h --help" ;;
    tm-search) echo "--tm --min -n --max --json -h --help" ;;
    tm-concordance) echo "--tm -n --max --json -h --help" ;;
    tm-merge) echo "--tm -h --help" ;;
    tm-dedupe) echo "--tm --keep --dry-run --json -h --help" ;;
    tm-delete) echo "--tm --document --dry-run --json -h --help" ;;
    tm-learn) echo "--tm --min-score -h --help" ;;
    tm-report) echo "--tm --document --threshold -o --output -h --help" ;;
    tm-copy) echo "--from --to -h --help" ;;
  esac
}

_ieum()
{
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local cmd=${COMP_WORDS[1]} first=2 words
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    if [[ $cur == -* ]]; then words="-V --version -h --help"; else words="align batch segment extract tm review serve eval"; fi
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    return 0
  fi
  if [ "$cmd" = tm ]; then
    if [ "$COMP_CWORD" -eq 2 ]; then
      if [[ $cur == -* ]]; then words="-h --help"
      else words="import export stats search concordance merge dedupe delete learn report copy"; fi
      COMPREPLY=($(compgen -W "$words" -- "$cur"))
      return 0
    fi
    cmd=tm-${COMP_WORDS[2]}
    first=3
  fi
  if [ "$COMP_CWORD" -ge "$first" ]; then
    words=
    case $cmd:$prev in
      align:-f | align:--format) words="tsv beads jsonl xliff" ;;
      tm-export:-f | tm-export:--format) words="tmx tsv jsonl xliff" ;;
      *:--from) words="auto text html presegmented" ;;
      *:--paragraphs) words="auto line blank" ;;
      *:--ratio) words="tm" ;;
      *:--tags) words="drop keep text" ;;
      serve:--scope) words="read write" ;;
      *:--keep) words="all newest best" ;;
      *:--roles) words="body headline byline caption credit dateline related furniture all" ;;
      *:--src-lang | *:--tgt-lang | *:-l | *:--lang | *:--min-score | *:--low | *:-j | *:--jobs | *:--min | \
      *:-n | *:--max | *:--document | *:--encoding | *:--src-encoding | *:--tgt-encoding | *:--only | \
      *:--src | *:--tgt | *:--port | *:--user | *:--threshold)
        return 0 ;;  # free text: nothing to offer
    esac
    if [ -n "$words" ]; then
      COMPREPLY=($(compgen -W "$words" -- "$cur"))
    elif [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "$(_ieum_options "$cmd")" -- "$cur"))
    else
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
  fi
  return 0
}

complete -F _ieum ieum
