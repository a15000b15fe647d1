# bash completion for nsbox and its applets (unshare, nsenter, lsns,
# ip-netns-lite / ip netns). Installed once as "nsbox" and linked under
# each applet's name, so bash-completion loads it for any of them.

_nsbox_ns_types="cgroup ipc mnt net pid time user uts"
_nsbox_lsns_columns="NS TYPE PATH NPROCS PID PPID COMMAND UID USER NETNSID NSFS PNS ONS"

# The word being completed split at "=" for --opt=value forms.
_nsbox_value() {
	local opt=$1 cur=$2
	case $opt in
	--propagation) COMPREPLY=($(compgen -W "slave shared private unchanged" -- "$cur")) ;;
	--setgroups) COMPREPLY=($(compgen -W "allow deny" -- "$cur")) ;;
	--kill-child) COMPREPLY=($(compgen -W "$(compgen -A signal | sed 's/^SIG//')" -- "$cur")) ;;
	-S|--setuid) COMPREPLY=($(compgen -W "follow $(cut -d: -f3 /etc/passwd 2>/dev/null)" -- "$cur")) ;;
	-G|--setgid) COMPREPLY=($(compgen -W "follow $(cut -d: -f3 /etc/group 2>/dev/null)" -- "$cur")) ;;
	--map-user) COMPREPLY=($(compgen -u -- "$cur")) ;;
	--map-group) COMPREPLY=($(compgen -g -- "$cur")) ;;
	--map-users|--map-groups) COMPREPLY=($(compgen -W "auto subids all" -- "$cur")) ;;
	-t|--target|-p|--task) COMPREPLY=($(compgen -W "$(cd /proc && echo [0-9]*)" -- "$cur")) ;;
	--type) COMPREPLY=($(compgen -W "$_nsbox_ns_types" -- "$cur")) ;;
	-o|--output)
		local prefix="" rest=$cur
		[[ $cur == +* ]] && prefix=+ rest=${cur#+}
		[[ $rest == *,* ]] && prefix=$prefix${rest%,*}, rest=${rest##*,}
		COMPREPLY=($(compgen -P "$prefix" -W "$_nsbox_lsns_columns" -- "$rest")) ;;
	-T|--tree) COMPREPLY=($(compgen -W "owner parent process" -- "$cur")) ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}

# _nsbox_options OPTS TAKES_ARG: complete options, values, or hand over
# to the program's own completion after the first non-option.
_nsbox_applet() {
	local opts=$1 takes=$2 cur prev i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	# After the first non-option word, the rest is a program.
	for ((i = 1; i < COMP_CWORD; i++)); do
		local w=${COMP_WORDS[i]}
		if [[ $w == -- ]]; then
			_command_offset $((i + 1)) 2>/dev/null
			return
		fi
		if [[ $w != -* ]]; then
			local p=${COMP_WORDS[i-1]}
			[[ " $takes " == *" $p "* ]] && continue
			if declare -F _command_offset >/dev/null; then _command_offset $i; fi
			return
		fi
	done
	if [[ $cur == --*=* ]]; then
		_nsbox_value "${cur%%=*}" "${cur#*=}"
		return
	fi
	if [[ " $takes " == *" $prev "* ]]; then
		_nsbox_value "$prev" "$cur"
		return
	fi
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
	[[ ${#COMPREPLY[@]} -eq 0 ]] && COMPREPLY=($(compgen -c -- "$cur"))
}

_nsbox_unshare() {
	_nsbox_applet "-m --mount --mount= -u --uts --uts= -i --ipc --ipc= -n --net --net= -p --pid --pid=
		-U --user --user= -C --cgroup --cgroup= -T --time --time= -f --fork --kill-child --kill-child=
		--forward-signals --mount-proc --mount-proc= --mount-binfmt --mount-binfmt= -l --load-interp
		--propagation -R --root -w --wd -S --setuid -G --setgid --map-user --map-group -r --map-root-user
		-c --map-current-user --map-auto --map-subids --map-users --map-groups --owner --setgroups
		--keep-caps --monotonic --boottime --clear-env --whitelist-env -h --help -V --version" \
		"-l --load-interp --propagation -R --root -w --wd -S --setuid -G --setgid --map-user --map-group --map-users --map-groups --owner --setgroups --monotonic --boottime --whitelist-env"
}

_nsbox_nsenter() {
	_nsbox_applet "-a --all -t --target -m --mount --mount= -u --uts --uts= -i --ipc --ipc= -n --net --net=
		-N --net-socket -p --pid --pid= -C --cgroup --cgroup= -U --user --user= --user-parent -T --time --time=
		-S --setuid -G --setgid --preserve-credentials --keep-caps -r --root --root= -w --wd --wd=
		-W --wdns --wdns= -e --env -F --no-fork -c --join-cgroup -h --help -V --version" \
		"-t --target -N --net-socket -S --setuid -G --setgid"
}

_nsbox_lsns() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-t|--type) _nsbox_value --type "$cur"; return ;;
	-o|--output|-p|--task) _nsbox_value "$prev" "$cur"; return ;;
	-Q|--filter) return ;;
	esac
	if [[ $cur == --*=* ]]; then
		_nsbox_value "${cur%%=*}" "${cur#*=}"
		return
	fi
	COMPREPLY=($(compgen -W "-J --json -l --list -n --noheadings -o --output --output-all -P --persistent
		-p --task -r --raw -u --notruncate -W --nowrap -t --type -T --tree --tree= -Q --filter
		-H --list-columns -h --help -V --version" -- "$cur"))
}

_nsbox_ip() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} i obj="" sub="" n=0 start=0
	local IFS=$'\n'
	local names
	names=$(ls -1 /run/netns 2>/dev/null)
	case $prev in
	-n|-netns) COMPREPLY=($(compgen -W "$names" -- "$cur")); _nsbox_quote; return ;;
	-b|-batch) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-n|-netns|-b|-batch) ((i++)) ;;
		-*) ;;
		*) if [[ -z $obj ]]; then obj=${COMP_WORDS[i]}
			elif [[ -z $sub ]]; then sub=${COMP_WORDS[i]}
			else ((n++)); ((n == 2)) && start=$i; fi ;;
		esac
	done
	if [[ -z $obj ]]; then
		IFS=' ' COMPREPLY=($(compgen -W "netns -n -netns -all -j -json -p -pretty -b -batch -force -V help" -- "$cur"))
	elif [[ -z $sub ]]; then
		IFS=' ' COMPREPLY=($(compgen -W "list show list-id add attach delete set identify pids exec monitor help" -- "$cur"))
	else
		case $sub in
		exec)
			if ((n == 0)); then COMPREPLY=($(compgen -W "$names" -- "$cur"))
			elif declare -F _command_offset >/dev/null; then _command_offset $((start > 0 ? start : COMP_CWORD))
			else COMPREPLY=($(compgen -c -- "$cur")); fi ;;
		set) if ((n == 0)); then COMPREPLY=($(compgen -W "$names" -- "$cur")); elif ((n == 1)); then COMPREPLY=($(compgen -W "auto" -- "$cur")); fi ;;
		delete|del|pids|attach) ((n == 0)) && COMPREPLY=($(compgen -W "$names" -- "$cur")) ;;
		identify) IFS=' ' COMPREPLY=($(compgen -W "$(cd /proc && echo [0-9]*)" -- "$cur")) ;;
		esac
	fi
	_nsbox_quote
}

# Names may hold spaces: quote each candidate.
_nsbox_quote() {
	local k
	for k in "${!COMPREPLY[@]}"; do COMPREPLY[k]=$(printf '%q' "${COMPREPLY[k]}"); done
}

_nsbox() {
	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W "--list --list-full --install --help $(nsbox --list 2>/dev/null)" -- "${COMP_WORDS[1]}"))
		return
	fi
	local applet=${COMP_WORDS[1]##*/}
	COMP_WORDS=("${COMP_WORDS[@]:1}")
	((COMP_CWORD--))
	case $applet in
	unshare) _nsbox_unshare ;;
	nsenter) _nsbox_nsenter ;;
	lsns) _nsbox_lsns ;;
	ip|ip-netns-lite) _nsbox_ip ;;
	esac
}

complete -F _nsbox nsbox
complete -F _nsbox_unshare unshare
complete -F _nsbox_nsenter nsenter
complete -F _nsbox_lsns lsns
complete -F _nsbox_ip ip-netns-lite
