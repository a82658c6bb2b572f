# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tix_global_optspecs
    string join \n C= as= y/yes h/help V/version
end

function __fish_tix_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tix_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tix_using_subcommand
    set -l cmd (__fish_tix_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tix -n "__fish_tix_needs_command" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_needs_command" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_needs_command" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tix -n "__fish_tix_needs_command" -s V -l version -d 'Print version'
complete -c tix -n "__fish_tix_needs_command" -f -a "init" -d 'Create a tix store here (and a git repository if there is none)'
complete -c tix -n "__fish_tix_needs_command" -f -a "create" -d 'Open a new ticket'
complete -c tix -n "__fish_tix_needs_command" -f -a "list" -d 'List tickets (open ones, newest activity first)'
complete -c tix -n "__fish_tix_needs_command" -f -a "ls" -d 'List tickets (open ones, newest activity first)'
complete -c tix -n "__fish_tix_needs_command" -f -a "show" -d 'Show a ticket and its whole trail'
complete -c tix -n "__fish_tix_needs_command" -f -a "reply" -d 'Add a public reply for the customer'
complete -c tix -n "__fish_tix_needs_command" -f -a "comment" -d 'Add a private internal note'
complete -c tix -n "__fish_tix_needs_command" -f -a "note" -d 'Add a private internal note'
complete -c tix -n "__fish_tix_needs_command" -f -a "assign" -d 'Assign a ticket to an agent, or unassign it'
complete -c tix -n "__fish_tix_needs_command" -f -a "status" -d 'Set a ticket\'s status'
complete -c tix -n "__fish_tix_needs_command" -f -a "priority" -d 'Set a ticket\'s priority'
complete -c tix -n "__fish_tix_needs_command" -f -a "subject" -d 'Change a ticket\'s subject'
complete -c tix -n "__fish_tix_needs_command" -f -a "tag" -d 'Add tags to a ticket'
complete -c tix -n "__fish_tix_needs_command" -f -a "untag" -d 'Remove tags from a ticket'
complete -c tix -n "__fish_tix_needs_command" -f -a "cc" -d 'Add people to, or remove them from, a ticket\'s Cc'
complete -c tix -n "__fish_tix_needs_command" -f -a "field" -d 'Set or clear a custom field'
complete -c tix -n "__fish_tix_needs_command" -f -a "link" -d 'Link a ticket to another'
complete -c tix -n "__fish_tix_needs_command" -f -a "unlink" -d 'Remove a link'
complete -c tix -n "__fish_tix_needs_command" -f -a "close" -d 'Close a ticket, optionally locking it'
complete -c tix -n "__fish_tix_needs_command" -f -a "reopen" -d 'Reopen a closed ticket'
complete -c tix -n "__fish_tix_needs_command" -f -a "lock" -d 'Lock a ticket against every further change'
complete -c tix -n "__fish_tix_needs_command" -f -a "unlock" -d 'Lift a lock (admins only)'
complete -c tix -n "__fish_tix_needs_command" -f -a "log" -d 'Show the git history of a ticket'
complete -c tix -n "__fish_tix_needs_command" -f -a "check" -d 'Verify the store: unreadable entries, rewritten history, config'
complete -c tix -n "__fish_tix_needs_command" -f -a "reindex" -d 'Rebuild the derived index in .git/tix/ from the store (never needed for correctness: it is refreshed automatically)'
complete -c tix -n "__fish_tix_needs_command" -f -a "report" -d 'Service reports over a period: volumes, response and resolution times, agents, trends, breakdowns, SLA breaches'
complete -c tix -n "__fish_tix_needs_command" -f -a "agent" -d 'Manage the agents of this store'
complete -c tix -n "__fish_tix_needs_command" -f -a "import" -d 'File mail from a mailbox into tickets'
complete -c tix -n "__fish_tix_needs_command" -f -a "quarantine" -d 'Messages that could not be filed'
complete -c tix -n "__fish_tix_needs_command" -f -a "outbox" -d 'Replies recorded but not (yet) delivered by e-mail'
complete -c tix -n "__fish_tix_needs_command" -f -a "escalate" -d 'Move a ticket to the next group (level), with a note for the next agent'
complete -c tix -n "__fish_tix_needs_command" -f -a "snooze" -d 'Hide a ticket from the list until a time; it wakes then (tix tick) or when the customer writes'
complete -c tix -n "__fish_tix_needs_command" -f -a "tick" -d 'Apply the time rules once: wake snoozed tickets, assign those waiting for room, auto-close and lock, and act on SLA warnings and breaches (run it from cron or a systemd timer)'
complete -c tix -n "__fish_tix_needs_command" -f -a "sla" -d 'Open tickets\' SLA clocks by time left, breached first'
complete -c tix -n "__fish_tix_needs_command" -f -a "blacklist" -d 'Senders whose mail is skipped'
complete -c tix -n "__fish_tix_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c tix -n "__fish_tix_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand init" -l name -d 'The team\'s name' -r
complete -c tix -n "__fish_tix_using_subcommand init" -l handle -d 'Handle of the first (admin) agent; default: from git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand init" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand init" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand init" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand init" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand create" -l customer -d 'The customer, as `Name <address>` or `address`' -r
complete -c tix -n "__fish_tix_using_subcommand create" -l subject -d 'One line saying what the ticket is about' -r
complete -c tix -n "__fish_tix_using_subcommand create" -s m -l message -d 'The text (repeat for paragraphs)' -r
complete -c tix -n "__fish_tix_using_subcommand create" -s F -l file -d 'Read the text from FILE, or from standard input with `-`' -r -F
complete -c tix -n "__fish_tix_using_subcommand create" -l priority -d 'How urgent the ticket is' -r -f -a "low\t''
normal\t''
high\t''
urgent\t''"
complete -c tix -n "__fish_tix_using_subcommand create" -l tag -d 'Add a tag (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand create" -l cc -d 'Add someone to Cc (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand create" -l field -d 'Set a custom field (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand create" -l assign -d 'Assign to an agent at once' -r
complete -c tix -n "__fish_tix_using_subcommand create" -l attach -d 'Attach a file (repeatable)' -r -F
complete -c tix -n "__fish_tix_using_subcommand create" -l format -d 'What to print: the id only (default when piped), text, or json' -r -f -a "text\t''
ids\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand create" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand create" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand create" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand create" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand list" -l status -d 'Only tickets in these statuses (repeatable or comma-separated)' -r -f -a "new\t''
open\t''
pending\t''
on-hold\t''
closed\t''"
complete -c tix -n "__fish_tix_using_subcommand list" -l assignee -d 'Only tickets assigned to AGENT' -r
complete -c tix -n "__fish_tix_using_subcommand list" -l customer -d 'Only tickets whose customer or Cc name or address contains TEXT' -r
complete -c tix -n "__fish_tix_using_subcommand list" -l tag -d 'Only tickets with this tag (repeatable: all must match)' -r
complete -c tix -n "__fish_tix_using_subcommand list" -l priority -d 'Only these priorities (repeatable or comma-separated)' -r -f -a "low\t''
normal\t''
high\t''
urgent\t''"
complete -c tix -n "__fish_tix_using_subcommand list" -l field -d 'Only tickets whose custom field NAME equals VALUE (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand list" -l sla -d 'Only tickets whose SLA clocks are in this state' -r -f -a "breached\t'A target is breached'
at-risk\t'Breached, or past the warning threshold'
running\t'Any SLA clock running or paused'"
complete -c tix -n "__fish_tix_using_subcommand list" -l created-since -d 'Created at or after WHEN (2026-11-01, 2026-11-01 09:00, 7d, 12h)' -r
complete -c tix -n "__fish_tix_using_subcommand list" -l created-until -d 'Created before WHEN' -r
complete -c tix -n "__fish_tix_using_subcommand list" -l updated-since -d 'Last changed at or after WHEN' -r
complete -c tix -n "__fish_tix_using_subcommand list" -l updated-until -d 'Last changed before WHEN' -r
complete -c tix -n "__fish_tix_using_subcommand list" -s s -l text -d 'Only tickets whose subject or text contains TEXT (case-insensitive)' -r
complete -c tix -n "__fish_tix_using_subcommand list" -l sort -d 'Order of the list' -r -f -a "updated\t'Last activity, newest first'
created\t'Creation time, newest first'
priority\t'Most urgent first'
status\t''
id\t''
subject\t''
sla\t'Earliest SLA deadline first (breached first); tickets without a running SLA clock last'"
complete -c tix -n "__fish_tix_using_subcommand list" -l limit -d 'Print at most N tickets' -r
complete -c tix -n "__fish_tix_using_subcommand list" -l format -d 'Output format; default: table on a terminal, tsv when piped' -r -f -a "table\t''
json\t''
csv\t''
tsv\t''
ids\t''"
complete -c tix -n "__fish_tix_using_subcommand list" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand list" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand list" -l mine -d 'Only tickets assigned to me'
complete -c tix -n "__fish_tix_using_subcommand list" -l unassigned -d 'Only unassigned tickets'
complete -c tix -n "__fish_tix_using_subcommand list" -s a -l all -d 'Include closed tickets (by default `list` leaves them out)'
complete -c tix -n "__fish_tix_using_subcommand list" -l snoozed -d 'Only snoozed tickets (hidden otherwise until they wake)'
complete -c tix -n "__fish_tix_using_subcommand list" -l reverse -d 'Reverse the order'
complete -c tix -n "__fish_tix_using_subcommand list" -l wide -d 'Table: show every cell whole instead of cutting long ones to the terminal width (COLUMNS, else the terminal\'s)'
complete -c tix -n "__fish_tix_using_subcommand list" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tix -n "__fish_tix_using_subcommand ls" -l status -d 'Only tickets in these statuses (repeatable or comma-separated)' -r -f -a "new\t''
open\t''
pending\t''
on-hold\t''
closed\t''"
complete -c tix -n "__fish_tix_using_subcommand ls" -l assignee -d 'Only tickets assigned to AGENT' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -l customer -d 'Only tickets whose customer or Cc name or address contains TEXT' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -l tag -d 'Only tickets with this tag (repeatable: all must match)' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -l priority -d 'Only these priorities (repeatable or comma-separated)' -r -f -a "low\t''
normal\t''
high\t''
urgent\t''"
complete -c tix -n "__fish_tix_using_subcommand ls" -l field -d 'Only tickets whose custom field NAME equals VALUE (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -l sla -d 'Only tickets whose SLA clocks are in this state' -r -f -a "breached\t'A target is breached'
at-risk\t'Breached, or past the warning threshold'
running\t'Any SLA clock running or paused'"
complete -c tix -n "__fish_tix_using_subcommand ls" -l created-since -d 'Created at or after WHEN (2026-11-01, 2026-11-01 09:00, 7d, 12h)' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -l created-until -d 'Created before WHEN' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -l updated-since -d 'Last changed at or after WHEN' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -l updated-until -d 'Last changed before WHEN' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -s s -l text -d 'Only tickets whose subject or text contains TEXT (case-insensitive)' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -l sort -d 'Order of the list' -r -f -a "updated\t'Last activity, newest first'
created\t'Creation time, newest first'
priority\t'Most urgent first'
status\t''
id\t''
subject\t''
sla\t'Earliest SLA deadline first (breached first); tickets without a running SLA clock last'"
complete -c tix -n "__fish_tix_using_subcommand ls" -l limit -d 'Print at most N tickets' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -l format -d 'Output format; default: table on a terminal, tsv when piped' -r -f -a "table\t''
json\t''
csv\t''
tsv\t''
ids\t''"
complete -c tix -n "__fish_tix_using_subcommand ls" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand ls" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand ls" -l mine -d 'Only tickets assigned to me'
complete -c tix -n "__fish_tix_using_subcommand ls" -l unassigned -d 'Only unassigned tickets'
complete -c tix -n "__fish_tix_using_subcommand ls" -s a -l all -d 'Include closed tickets (by default `list` leaves them out)'
complete -c tix -n "__fish_tix_using_subcommand ls" -l snoozed -d 'Only snoozed tickets (hidden otherwise until they wake)'
complete -c tix -n "__fish_tix_using_subcommand ls" -l reverse -d 'Reverse the order'
complete -c tix -n "__fish_tix_using_subcommand ls" -l wide -d 'Table: show every cell whole instead of cutting long ones to the terminal width (COLUMNS, else the terminal\'s)'
complete -c tix -n "__fish_tix_using_subcommand ls" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tix -n "__fish_tix_using_subcommand show" -l format -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand show" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand show" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand show" -l public -d 'Leave out internal notes and internal changes: what the customer may see'
complete -c tix -n "__fish_tix_using_subcommand show" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand show" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand reply" -s m -l message -d 'The text (repeat for paragraphs)' -r
complete -c tix -n "__fish_tix_using_subcommand reply" -s F -l file -d 'Read the text from FILE, or from standard input with `-`' -r -F
complete -c tix -n "__fish_tix_using_subcommand reply" -l status -d 'Also set the status (default: a new ticket becomes open)' -r -f -a "new\t''
open\t''
pending\t''
on-hold\t''
closed\t''"
complete -c tix -n "__fish_tix_using_subcommand reply" -l attach -d 'Attach a file (repeatable)' -r -F
complete -c tix -n "__fish_tix_using_subcommand reply" -l template -d 'A canned answer: the text of .tix/templates/NAME.md (after any -m/-F text)' -r
complete -c tix -n "__fish_tix_using_subcommand reply" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand reply" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand reply" -l no-send -d 'Record the reply without e-mailing it'
complete -c tix -n "__fish_tix_using_subcommand reply" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand reply" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand comment" -s m -l message -d 'The text (repeat for paragraphs)' -r
complete -c tix -n "__fish_tix_using_subcommand comment" -s F -l file -d 'Read the text from FILE, or from standard input with `-`' -r -F
complete -c tix -n "__fish_tix_using_subcommand comment" -l attach -d 'Attach a file (repeatable)' -r -F
complete -c tix -n "__fish_tix_using_subcommand comment" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand comment" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand comment" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand comment" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand note" -s m -l message -d 'The text (repeat for paragraphs)' -r
complete -c tix -n "__fish_tix_using_subcommand note" -s F -l file -d 'Read the text from FILE, or from standard input with `-`' -r -F
complete -c tix -n "__fish_tix_using_subcommand note" -l attach -d 'Attach a file (repeatable)' -r -F
complete -c tix -n "__fish_tix_using_subcommand note" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand note" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand note" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand note" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand assign" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand assign" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand assign" -l none -d 'Remove the assignee'
complete -c tix -n "__fish_tix_using_subcommand assign" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand assign" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand status" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand status" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand status" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand status" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand priority" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand priority" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand priority" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand priority" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand subject" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand subject" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand subject" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand subject" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand tag" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand tag" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand tag" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand tag" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand untag" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand untag" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand untag" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand untag" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand cc" -l add -d 'Add this address (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand cc" -l remove -d 'Remove this address (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand cc" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand cc" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand cc" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand cc" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand field" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand field" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand field" -l unset -d 'Clear the field'
complete -c tix -n "__fish_tix_using_subcommand field" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand field" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand link" -l rel -d 'How ID relates to TARGET' -r -f -a "related\t''
duplicate-of\t''
parent-of\t''"
complete -c tix -n "__fish_tix_using_subcommand link" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand link" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand link" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand link" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand unlink" -l rel -d 'How ID relates to TARGET' -r -f -a "related\t''
duplicate-of\t''
parent-of\t''"
complete -c tix -n "__fish_tix_using_subcommand unlink" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand unlink" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand unlink" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand unlink" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand close" -s m -l message -d 'An internal resolution note' -r
complete -c tix -n "__fish_tix_using_subcommand close" -l field -d 'Set a custom field on the way (repeatable), e.g. one required at close' -r
complete -c tix -n "__fish_tix_using_subcommand close" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand close" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand close" -l lock -d 'Also lock the ticket: it can never be silently reopened'
complete -c tix -n "__fish_tix_using_subcommand close" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand close" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand reopen" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand reopen" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand reopen" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand reopen" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand lock" -s m -l message -d 'Why' -r
complete -c tix -n "__fish_tix_using_subcommand lock" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand lock" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand lock" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand lock" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand unlock" -s m -l message -d 'Why' -r
complete -c tix -n "__fish_tix_using_subcommand unlock" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand unlock" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand unlock" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand unlock" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand log" -l format -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand log" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand log" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand log" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand log" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand check" -l format -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand check" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand check" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand check" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand check" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand reindex" -l format -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand reindex" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand reindex" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand reindex" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand reindex" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand report; and not __fish_seen_subcommand_from summary agents trend breakdown sla help" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand report; and not __fish_seen_subcommand_from summary agents trend breakdown sla help" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand report; and not __fish_seen_subcommand_from summary agents trend breakdown sla help" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand report; and not __fish_seen_subcommand_from summary agents trend breakdown sla help" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand report; and not __fish_seen_subcommand_from summary agents trend breakdown sla help" -f -a "summary" -d 'Created, resolved, reopened, backlog by age, first response and resolution times, replies per ticket'
complete -c tix -n "__fish_tix_using_subcommand report; and not __fish_seen_subcommand_from summary agents trend breakdown sla help" -f -a "agents" -d 'Per agent: tickets assigned and closed, replies, notes, response times, open load now'
complete -c tix -n "__fish_tix_using_subcommand report; and not __fish_seen_subcommand_from summary agents trend breakdown sla help" -f -a "trend" -d 'Created, resolved, reopened and backlog per day, week or month'
complete -c tix -n "__fish_tix_using_subcommand report; and not __fish_seen_subcommand_from summary agents trend breakdown sla help" -f -a "breakdown" -d 'Counts and times per status, priority, tag, assignee, customer domain or custom field'
complete -c tix -n "__fish_tix_using_subcommand report; and not __fish_seen_subcommand_from summary agents trend breakdown sla help" -f -a "sla" -d 'Tickets that breached the first-response or resolution targets in the config\'s `sla` section, per agent and overall'
complete -c tix -n "__fish_tix_using_subcommand report; and not __fish_seen_subcommand_from summary agents trend breakdown sla help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l since -d 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l until -d 'End of the period, not included; default: now' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l status -d 'Only tickets in these statuses (repeatable or comma-separated)' -r -f -a "new\t''
open\t''
pending\t''
on-hold\t''
closed\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l assignee -d 'Only tickets assigned to AGENT' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l customer -d 'Only tickets whose customer or Cc name or address contains TEXT' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l tag -d 'Only tickets with this tag (repeatable: all must match)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l priority -d 'Only these priorities (repeatable or comma-separated)' -r -f -a "low\t''
normal\t''
high\t''
urgent\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l field -d 'Only tickets whose custom field NAME equals VALUE (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l format -d 'Output format; default: table on a terminal, csv when piped' -r -f -a "table\t''
json\t''
csv\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l mine -d 'Only tickets assigned to me'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -l unassigned -d 'Only unassigned tickets'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from summary" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l since -d 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l until -d 'End of the period, not included; default: now' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l status -d 'Only tickets in these statuses (repeatable or comma-separated)' -r -f -a "new\t''
open\t''
pending\t''
on-hold\t''
closed\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l assignee -d 'Only tickets assigned to AGENT' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l customer -d 'Only tickets whose customer or Cc name or address contains TEXT' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l tag -d 'Only tickets with this tag (repeatable: all must match)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l priority -d 'Only these priorities (repeatable or comma-separated)' -r -f -a "low\t''
normal\t''
high\t''
urgent\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l field -d 'Only tickets whose custom field NAME equals VALUE (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l format -d 'Output format; default: table on a terminal, csv when piped' -r -f -a "table\t''
json\t''
csv\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l mine -d 'Only tickets assigned to me'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -l unassigned -d 'Only unassigned tickets'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from agents" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l by -d 'Bucket size' -r -f -a "day\t'UTC days'
week\t'ISO weeks (Monday to Sunday, UTC)'
month\t'Calendar months (UTC)'"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l since -d 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l until -d 'End of the period, not included; default: now' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l status -d 'Only tickets in these statuses (repeatable or comma-separated)' -r -f -a "new\t''
open\t''
pending\t''
on-hold\t''
closed\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l assignee -d 'Only tickets assigned to AGENT' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l customer -d 'Only tickets whose customer or Cc name or address contains TEXT' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l tag -d 'Only tickets with this tag (repeatable: all must match)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l priority -d 'Only these priorities (repeatable or comma-separated)' -r -f -a "low\t''
normal\t''
high\t''
urgent\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l field -d 'Only tickets whose custom field NAME equals VALUE (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l format -d 'Output format; default: table on a terminal, csv when piped' -r -f -a "table\t''
json\t''
csv\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l mine -d 'Only tickets assigned to me'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -l unassigned -d 'Only unassigned tickets'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from trend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l by -d 'Group by status, priority, tag, assignee, domain (the customer\'s) or field:NAME (a custom field)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l since -d 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l until -d 'End of the period, not included; default: now' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l status -d 'Only tickets in these statuses (repeatable or comma-separated)' -r -f -a "new\t''
open\t''
pending\t''
on-hold\t''
closed\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l assignee -d 'Only tickets assigned to AGENT' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l customer -d 'Only tickets whose customer or Cc name or address contains TEXT' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l tag -d 'Only tickets with this tag (repeatable: all must match)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l priority -d 'Only these priorities (repeatable or comma-separated)' -r -f -a "low\t''
normal\t''
high\t''
urgent\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l field -d 'Only tickets whose custom field NAME equals VALUE (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l format -d 'Output format; default: table on a terminal, csv when piped' -r -f -a "table\t''
json\t''
csv\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l mine -d 'Only tickets assigned to me'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -l unassigned -d 'Only unassigned tickets'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from breakdown" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l since -d 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l until -d 'End of the period, not included; default: now' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l status -d 'Only tickets in these statuses (repeatable or comma-separated)' -r -f -a "new\t''
open\t''
pending\t''
on-hold\t''
closed\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l assignee -d 'Only tickets assigned to AGENT' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l customer -d 'Only tickets whose customer or Cc name or address contains TEXT' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l tag -d 'Only tickets with this tag (repeatable: all must match)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l priority -d 'Only these priorities (repeatable or comma-separated)' -r -f -a "low\t''
normal\t''
high\t''
urgent\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l field -d 'Only tickets whose custom field NAME equals VALUE (repeatable)' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l format -d 'Output format; default: table on a terminal, csv when piped' -r -f -a "table\t''
json\t''
csv\t''"
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l mine -d 'Only tickets assigned to me'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -l unassigned -d 'Only unassigned tickets'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from sla" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "summary" -d 'Created, resolved, reopened, backlog by age, first response and resolution times, replies per ticket'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "agents" -d 'Per agent: tickets assigned and closed, replies, notes, response times, open load now'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "trend" -d 'Created, resolved, reopened and backlog per day, week or month'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "breakdown" -d 'Counts and times per status, priority, tag, assignee, customer domain or custom field'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "sla" -d 'Tickets that breached the first-response or resolution targets in the config\'s `sla` section, per agent and overall'
complete -c tix -n "__fish_tix_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand agent; and not __fish_seen_subcommand_from add list away back help" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand agent; and not __fish_seen_subcommand_from add list away back help" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand agent; and not __fish_seen_subcommand_from add list away back help" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand agent; and not __fish_seen_subcommand_from add list away back help" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand agent; and not __fish_seen_subcommand_from add list away back help" -f -a "add" -d 'Declare an agent (admins only)'
complete -c tix -n "__fish_tix_using_subcommand agent; and not __fish_seen_subcommand_from add list away back help" -f -a "list" -d 'List the agents, their active tickets and who is away'
complete -c tix -n "__fish_tix_using_subcommand agent; and not __fish_seen_subcommand_from add list away back help" -f -a "away" -d 'Mark an agent away: assignment rules skip them, and a customer\'s follow-up on their tickets is re-assigned'
complete -c tix -n "__fish_tix_using_subcommand agent; and not __fish_seen_subcommand_from add list away back help" -f -a "back" -d 'Mark an agent back'
complete -c tix -n "__fish_tix_using_subcommand agent; and not __fish_seen_subcommand_from add list away back help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from add" -l email -d 'The agent\'s e-mail address' -r
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from add" -l name -d 'Full name' -r
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from add" -l role -d 'Give a role (repeatable): admin or agent' -r -f -a "admin\t''
agent\t''"
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from add" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from add" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from list" -l format -d 'Output format; default: table on a terminal, tsv when piped' -r -f -a "table\t''
json\t''
csv\t''
tsv\t''
ids\t''"
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from list" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from list" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from away" -l until -d 'Back by itself at this time (RFC 3339, a date, or a duration like 3d)' -r
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from away" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from away" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from away" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from away" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from back" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from back" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from back" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from back" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "add" -d 'Declare an agent (admins only)'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the agents, their active tickets and who is away'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "away" -d 'Mark an agent away: assignment rules skip them, and a customer\'s follow-up on their tickets is re-assigned'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "back" -d 'Mark an agent back'
complete -c tix -n "__fish_tix_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand import; and not __fish_seen_subcommand_from mbox maildir eml pop3 imap help" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand import; and not __fish_seen_subcommand_from mbox maildir eml pop3 imap help" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand import; and not __fish_seen_subcommand_from mbox maildir eml pop3 imap help" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand import; and not __fish_seen_subcommand_from mbox maildir eml pop3 imap help" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand import; and not __fish_seen_subcommand_from mbox maildir eml pop3 imap help" -f -a "mbox" -d 'Import every message of an mbox file'
complete -c tix -n "__fish_tix_using_subcommand import; and not __fish_seen_subcommand_from mbox maildir eml pop3 imap help" -f -a "maildir" -d 'Import every message of a Maildir folder (cur/ and new/)'
complete -c tix -n "__fish_tix_using_subcommand import; and not __fish_seen_subcommand_from mbox maildir eml pop3 imap help" -f -a "eml" -d 'Import one message from standard input (or FILE), e.g. piped from an MTA; exits 0 when filed or skipped, 65 when refused, 75 when the store is busy'
complete -c tix -n "__fish_tix_using_subcommand import; and not __fish_seen_subcommand_from mbox maildir eml pop3 imap help" -f -a "pop3" -d 'Fetch a POP3 mailbox declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account\'s after_import'
complete -c tix -n "__fish_tix_using_subcommand import; and not __fish_seen_subcommand_from mbox maildir eml pop3 imap help" -f -a "imap" -d 'Fetch an IMAP folder declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account\'s after_import'
complete -c tix -n "__fish_tix_using_subcommand import; and not __fish_seen_subcommand_from mbox maildir eml pop3 imap help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from mbox" -l format -d 'Output format of the summary' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from mbox" -l batch -d 'Messages per commit' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from mbox" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from mbox" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from mbox" -l dry-run -d 'Say what would happen to each message; write nothing'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from mbox" -s v -l verbose -d 'List every message\'s outcome, not only the summary'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from mbox" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from mbox" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from maildir" -l format -d 'Output format of the summary' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from maildir" -l batch -d 'Messages per commit' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from maildir" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from maildir" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from maildir" -l dry-run -d 'Say what would happen to each message; write nothing'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from maildir" -s v -l verbose -d 'List every message\'s outcome, not only the summary'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from maildir" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from maildir" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from eml" -l format -d 'Output format of the summary' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from eml" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from eml" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from eml" -l dry-run -d 'Say what would happen to the message; write nothing'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from eml" -s v -l verbose -d 'List the message\'s outcome, not only the summary'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from eml" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from eml" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from pop3" -l folder -d 'IMAP: fetch this folder instead of the account\'s' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from pop3" -l limit -d 'Download at most N new messages this run; the rest wait for the next' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from pop3" -l format -d 'Output format of the summary' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from pop3" -l batch -d 'Messages per commit' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from pop3" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from pop3" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from pop3" -l dry-run -d 'Say what would happen to each message; write nothing'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from pop3" -s v -l verbose -d 'List every message\'s outcome, not only the summary'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from pop3" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from pop3" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from imap" -l folder -d 'IMAP: fetch this folder instead of the account\'s' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from imap" -l limit -d 'Download at most N new messages this run; the rest wait for the next' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from imap" -l format -d 'Output format of the summary' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from imap" -l batch -d 'Messages per commit' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from imap" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from imap" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from imap" -l dry-run -d 'Say what would happen to each message; write nothing'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from imap" -s v -l verbose -d 'List every message\'s outcome, not only the summary'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from imap" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from imap" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "mbox" -d 'Import every message of an mbox file'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "maildir" -d 'Import every message of a Maildir folder (cur/ and new/)'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "eml" -d 'Import one message from standard input (or FILE), e.g. piped from an MTA; exits 0 when filed or skipped, 65 when refused, 75 when the store is busy'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "pop3" -d 'Fetch a POP3 mailbox declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account\'s after_import'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "imap" -d 'Fetch an IMAP folder declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account\'s after_import'
complete -c tix -n "__fish_tix_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and not __fish_seen_subcommand_from list retry help" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand quarantine; and not __fish_seen_subcommand_from list retry help" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand quarantine; and not __fish_seen_subcommand_from list retry help" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and not __fish_seen_subcommand_from list retry help" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and not __fish_seen_subcommand_from list retry help" -f -a "list" -d 'List quarantined messages and why they were refused'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and not __fish_seen_subcommand_from list retry help" -f -a "retry" -d 'File quarantined messages again (after a fix or a config change); those filed leave the quarantine'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and not __fish_seen_subcommand_from list retry help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from list" -l format -d 'Output format; default: table on a terminal, tsv when piped' -r -f -a "table\t''
json\t''
csv\t''
tsv\t''
ids\t''"
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from list" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from list" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from retry" -l format -d 'Output format of the summary' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from retry" -l batch -d 'Messages per commit' -r
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from retry" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from retry" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from retry" -l dry-run -d 'Say what would happen to each message; write nothing'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from retry" -s v -l verbose -d 'List every message\'s outcome, not only the summary'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from retry" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from retry" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from help" -f -a "list" -d 'List quarantined messages and why they were refused'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from help" -f -a "retry" -d 'File quarantined messages again (after a fix or a config change); those filed leave the quarantine'
complete -c tix -n "__fish_tix_using_subcommand quarantine; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand outbox; and not __fish_seen_subcommand_from list retry help" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand outbox; and not __fish_seen_subcommand_from list retry help" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand outbox; and not __fish_seen_subcommand_from list retry help" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand outbox; and not __fish_seen_subcommand_from list retry help" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand outbox; and not __fish_seen_subcommand_from list retry help" -f -a "list" -d 'List replies waiting to be delivered, with the last error'
complete -c tix -n "__fish_tix_using_subcommand outbox; and not __fish_seen_subcommand_from list retry help" -f -a "retry" -d 'Send waiting replies again (the same message, byte for byte)'
complete -c tix -n "__fish_tix_using_subcommand outbox; and not __fish_seen_subcommand_from list retry help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from list" -l format -d 'Output format; default: table on a terminal, tsv when piped' -r -f -a "table\t''
json\t''
csv\t''
tsv\t''
ids\t''"
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from list" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from list" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from retry" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from retry" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from retry" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from retry" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from help" -f -a "list" -d 'List replies waiting to be delivered, with the last error'
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from help" -f -a "retry" -d 'Send waiting replies again (the same message, byte for byte)'
complete -c tix -n "__fish_tix_using_subcommand outbox; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand escalate" -l to -d 'A group, or an agent; default: the group after the ticket\'s current one' -r
complete -c tix -n "__fish_tix_using_subcommand escalate" -s m -l message -d 'The text (repeat for paragraphs)' -r
complete -c tix -n "__fish_tix_using_subcommand escalate" -s F -l file -d 'Read the text from FILE, or from standard input with `-`' -r -F
complete -c tix -n "__fish_tix_using_subcommand escalate" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand escalate" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand escalate" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand escalate" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand snooze" -l until -d 'Until when (RFC 3339, a date, or a duration like 3d from now)' -r
complete -c tix -n "__fish_tix_using_subcommand snooze" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand snooze" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand snooze" -l wake -d 'Wake it now'
complete -c tix -n "__fish_tix_using_subcommand snooze" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand snooze" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand tick" -l format -d 'Output format' -r -f -a "text\t''
json\t''"
complete -c tix -n "__fish_tix_using_subcommand tick" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand tick" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand tick" -l dry-run -d 'Say what would be done; change nothing'
complete -c tix -n "__fish_tix_using_subcommand tick" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand tick" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tix -n "__fish_tix_using_subcommand sla" -l assignee -d 'Only tickets assigned to AGENT (handle or address)' -r
complete -c tix -n "__fish_tix_using_subcommand sla" -l format -d 'Output format; default: table on a terminal, tsv when piped' -r -f -a "table\t''
json\t''
csv\t''
tsv\t''
ids\t''"
complete -c tix -n "__fish_tix_using_subcommand sla" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand sla" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand sla" -l breached -d 'Only breached clocks'
complete -c tix -n "__fish_tix_using_subcommand sla" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand sla" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and not __fish_seen_subcommand_from add list remove help" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand blacklist; and not __fish_seen_subcommand_from add list remove help" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand blacklist; and not __fish_seen_subcommand_from add list remove help" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and not __fish_seen_subcommand_from add list remove help" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and not __fish_seen_subcommand_from add list remove help" -f -a "add" -d 'Skip mail from an address or a whole domain'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and not __fish_seen_subcommand_from add list remove help" -f -a "list" -d 'List the blacklist'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and not __fish_seen_subcommand_from add list remove help" -f -a "remove" -d 'Remove an entry'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and not __fish_seen_subcommand_from add list remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from add" -l subject -d 'Only when the subject contains this text (case-insensitive)' -r
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from add" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from add" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from list" -l format -d 'Output format; default: table on a terminal, tsv when piped' -r -f -a "table\t''
json\t''
csv\t''
tsv\t''
ids\t''"
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from list" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from list" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from remove" -l subject -d 'Only the entry with this subject text' -r
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from remove" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from remove" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from help" -f -a "add" -d 'Skip mail from an address or a whole domain'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the blacklist'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove an entry'
complete -c tix -n "__fish_tix_using_subcommand blacklist; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand completions" -s C -d 'Run as if tix was started in DIR' -r -F
complete -c tix -n "__fish_tix_using_subcommand completions" -l as -d 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email' -r
complete -c tix -n "__fish_tix_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations'
complete -c tix -n "__fish_tix_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "init" -d 'Create a tix store here (and a git repository if there is none)'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "create" -d 'Open a new ticket'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "list" -d 'List tickets (open ones, newest activity first)'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "show" -d 'Show a ticket and its whole trail'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "reply" -d 'Add a public reply for the customer'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "comment" -d 'Add a private internal note'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "assign" -d 'Assign a ticket to an agent, or unassign it'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "status" -d 'Set a ticket\'s status'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "priority" -d 'Set a ticket\'s priority'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "subject" -d 'Change a ticket\'s subject'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "tag" -d 'Add tags to a ticket'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "untag" -d 'Remove tags from a ticket'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "cc" -d 'Add people to, or remove them from, a ticket\'s Cc'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "field" -d 'Set or clear a custom field'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "link" -d 'Link a ticket to another'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "unlink" -d 'Remove a link'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "close" -d 'Close a ticket, optionally locking it'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "reopen" -d 'Reopen a closed ticket'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "lock" -d 'Lock a ticket against every further change'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "unlock" -d 'Lift a lock (admins only)'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "log" -d 'Show the git history of a ticket'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "check" -d 'Verify the store: unreadable entries, rewritten history, config'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "reindex" -d 'Rebuild the derived index in .git/tix/ from the store (never needed for correctness: it is refreshed automatically)'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "report" -d 'Service reports over a period: volumes, response and resolution times, agents, trends, breakdowns, SLA breaches'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "agent" -d 'Manage the agents of this store'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "import" -d 'File mail from a mailbox into tickets'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "quarantine" -d 'Messages that could not be filed'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "outbox" -d 'Replies recorded but not (yet) delivered by e-mail'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "escalate" -d 'Move a ticket to the next group (level), with a note for the next agent'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "snooze" -d 'Hide a ticket from the list until a time; it wakes then (tix tick) or when the customer writes'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "tick" -d 'Apply the time rules once: wake snoozed tickets, assign those waiting for room, auto-close and lock, and act on SLA warnings and breaches (run it from cron or a systemd timer)'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "sla" -d 'Open tickets\' SLA clocks by time left, breached first'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "blacklist" -d 'Senders whose mail is skipped'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c tix -n "__fish_tix_using_subcommand help; and not __fish_seen_subcommand_from init create list show reply comment assign status priority subject tag untag cc field link unlink close reopen lock unlock log check reindex report agent import quarantine outbox escalate snooze tick sla blacklist completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "summary" -d 'Created, resolved, reopened, backlog by age, first response and resolution times, replies per ticket'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "agents" -d 'Per agent: tickets assigned and closed, replies, notes, response times, open load now'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "trend" -d 'Created, resolved, reopened and backlog per day, week or month'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "breakdown" -d 'Counts and times per status, priority, tag, assignee, customer domain or custom field'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "sla" -d 'Tickets that breached the first-response or resolution targets in the config\'s `sla` section, per agent and overall'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "add" -d 'Declare an agent (admins only)'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "list" -d 'List the agents, their active tickets and who is away'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "away" -d 'Mark an agent away: assignment rules skip them, and a customer\'s follow-up on their tickets is re-assigned'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "back" -d 'Mark an agent back'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "mbox" -d 'Import every message of an mbox file'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "maildir" -d 'Import every message of a Maildir folder (cur/ and new/)'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "eml" -d 'Import one message from standard input (or FILE), e.g. piped from an MTA; exits 0 when filed or skipped, 65 when refused, 75 when the store is busy'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "pop3" -d 'Fetch a POP3 mailbox declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account\'s after_import'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "imap" -d 'Fetch an IMAP folder declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account\'s after_import'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from quarantine" -f -a "list" -d 'List quarantined messages and why they were refused'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from quarantine" -f -a "retry" -d 'File quarantined messages again (after a fix or a config change); those filed leave the quarantine'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from outbox" -f -a "list" -d 'List replies waiting to be delivered, with the last error'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from outbox" -f -a "retry" -d 'Send waiting replies again (the same message, byte for byte)'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from blacklist" -f -a "add" -d 'Skip mail from an address or a whole domain'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from blacklist" -f -a "list" -d 'List the blacklist'
complete -c tix -n "__fish_tix_using_subcommand help; and __fish_seen_subcommand_from blacklist" -f -a "remove" -d 'Remove an entry'
