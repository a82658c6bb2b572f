
use builtin;
use str;

set edit:completion:arg-completer[tix] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tix'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tix'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a tix store here (and a git repository if there is none)'
            cand create 'Open a new ticket'
            cand list 'List tickets (open ones, newest activity first)'
            cand ls 'List tickets (open ones, newest activity first)'
            cand show 'Show a ticket and its whole trail'
            cand reply 'Add a public reply for the customer'
            cand comment 'Add a private internal note'
            cand note 'Add a private internal note'
            cand assign 'Assign a ticket to an agent, or unassign it'
            cand status 'Set a ticket''s status'
            cand priority 'Set a ticket''s priority'
            cand subject 'Change a ticket''s subject'
            cand tag 'Add tags to a ticket'
            cand untag 'Remove tags from a ticket'
            cand cc 'Add people to, or remove them from, a ticket''s Cc'
            cand field 'Set or clear a custom field'
            cand link 'Link a ticket to another'
            cand unlink 'Remove a link'
            cand close 'Close a ticket, optionally locking it'
            cand reopen 'Reopen a closed ticket'
            cand lock 'Lock a ticket against every further change'
            cand unlock 'Lift a lock (admins only)'
            cand log 'Show the git history of a ticket'
            cand check 'Verify the store: unreadable entries, rewritten history, config'
            cand reindex 'Rebuild the derived index in .git/tix/ from the store (never needed for correctness: it is refreshed automatically)'
            cand report 'Service reports over a period: volumes, response and resolution times, agents, trends, breakdowns, SLA breaches'
            cand agent 'Manage the agents of this store'
            cand import 'File mail from a mailbox into tickets'
            cand quarantine 'Messages that could not be filed'
            cand outbox 'Replies recorded but not (yet) delivered by e-mail'
            cand escalate 'Move a ticket to the next group (level), with a note for the next agent'
            cand snooze 'Hide a ticket from the list until a time; it wakes then (tix tick) or when the customer writes'
            cand tick 'Apply the time rules once: wake snoozed tickets, assign those waiting for room, auto-close and lock, and act on SLA warnings and breaches (run it from cron or a systemd timer)'
            cand sla 'Open tickets'' SLA clocks by time left, breached first'
            cand blacklist 'Senders whose mail is skipped'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;init'= {
            cand --name 'The team''s name'
            cand --handle 'Handle of the first (admin) agent; default: from git user.email'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;create'= {
            cand --customer 'The customer, as `Name <address>` or `address`'
            cand --subject 'One line saying what the ticket is about'
            cand -m 'The text (repeat for paragraphs)'
            cand --message 'The text (repeat for paragraphs)'
            cand -F 'Read the text from FILE, or from standard input with `-`'
            cand --file 'Read the text from FILE, or from standard input with `-`'
            cand --priority 'How urgent the ticket is'
            cand --tag 'Add a tag (repeatable)'
            cand --cc 'Add someone to Cc (repeatable)'
            cand --field 'Set a custom field (repeatable)'
            cand --assign 'Assign to an agent at once'
            cand --attach 'Attach a file (repeatable)'
            cand --format 'What to print: the id only (default when piped), text, or json'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;list'= {
            cand --status 'Only tickets in these statuses (repeatable or comma-separated)'
            cand --assignee 'Only tickets assigned to AGENT'
            cand --customer 'Only tickets whose customer or Cc name or address contains TEXT'
            cand --tag 'Only tickets with this tag (repeatable: all must match)'
            cand --priority 'Only these priorities (repeatable or comma-separated)'
            cand --field 'Only tickets whose custom field NAME equals VALUE (repeatable)'
            cand --sla 'Only tickets whose SLA clocks are in this state'
            cand --created-since 'Created at or after WHEN (2026-11-01, 2026-11-01 09:00, 7d, 12h)'
            cand --created-until 'Created before WHEN'
            cand --updated-since 'Last changed at or after WHEN'
            cand --updated-until 'Last changed before WHEN'
            cand -s 'Only tickets whose subject or text contains TEXT (case-insensitive)'
            cand --text 'Only tickets whose subject or text contains TEXT (case-insensitive)'
            cand --sort 'Order of the list'
            cand --limit 'Print at most N tickets'
            cand --format 'Output format; default: table on a terminal, tsv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --mine 'Only tickets assigned to me'
            cand --unassigned 'Only unassigned tickets'
            cand -a 'Include closed tickets (by default `list` leaves them out)'
            cand --all 'Include closed tickets (by default `list` leaves them out)'
            cand --snoozed 'Only snoozed tickets (hidden otherwise until they wake)'
            cand --reverse 'Reverse the order'
            cand --wide 'Table: show every cell whole instead of cutting long ones to the terminal width (COLUMNS, else the terminal''s)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tix;ls'= {
            cand --status 'Only tickets in these statuses (repeatable or comma-separated)'
            cand --assignee 'Only tickets assigned to AGENT'
            cand --customer 'Only tickets whose customer or Cc name or address contains TEXT'
            cand --tag 'Only tickets with this tag (repeatable: all must match)'
            cand --priority 'Only these priorities (repeatable or comma-separated)'
            cand --field 'Only tickets whose custom field NAME equals VALUE (repeatable)'
            cand --sla 'Only tickets whose SLA clocks are in this state'
            cand --created-since 'Created at or after WHEN (2026-11-01, 2026-11-01 09:00, 7d, 12h)'
            cand --created-until 'Created before WHEN'
            cand --updated-since 'Last changed at or after WHEN'
            cand --updated-until 'Last changed before WHEN'
            cand -s 'Only tickets whose subject or text contains TEXT (case-insensitive)'
            cand --text 'Only tickets whose subject or text contains TEXT (case-insensitive)'
            cand --sort 'Order of the list'
            cand --limit 'Print at most N tickets'
            cand --format 'Output format; default: table on a terminal, tsv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --mine 'Only tickets assigned to me'
            cand --unassigned 'Only unassigned tickets'
            cand -a 'Include closed tickets (by default `list` leaves them out)'
            cand --all 'Include closed tickets (by default `list` leaves them out)'
            cand --snoozed 'Only snoozed tickets (hidden otherwise until they wake)'
            cand --reverse 'Reverse the order'
            cand --wide 'Table: show every cell whole instead of cutting long ones to the terminal width (COLUMNS, else the terminal''s)'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tix;show'= {
            cand --format 'Output format'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --public 'Leave out internal notes and internal changes: what the customer may see'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;reply'= {
            cand -m 'The text (repeat for paragraphs)'
            cand --message 'The text (repeat for paragraphs)'
            cand -F 'Read the text from FILE, or from standard input with `-`'
            cand --file 'Read the text from FILE, or from standard input with `-`'
            cand --status 'Also set the status (default: a new ticket becomes open)'
            cand --attach 'Attach a file (repeatable)'
            cand --template 'A canned answer: the text of .tix/templates/NAME.md (after any -m/-F text)'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --no-send 'Record the reply without e-mailing it'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;comment'= {
            cand -m 'The text (repeat for paragraphs)'
            cand --message 'The text (repeat for paragraphs)'
            cand -F 'Read the text from FILE, or from standard input with `-`'
            cand --file 'Read the text from FILE, or from standard input with `-`'
            cand --attach 'Attach a file (repeatable)'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;note'= {
            cand -m 'The text (repeat for paragraphs)'
            cand --message 'The text (repeat for paragraphs)'
            cand -F 'Read the text from FILE, or from standard input with `-`'
            cand --file 'Read the text from FILE, or from standard input with `-`'
            cand --attach 'Attach a file (repeatable)'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;assign'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --none 'Remove the assignee'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;status'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;priority'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;subject'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;tag'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;untag'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;cc'= {
            cand --add 'Add this address (repeatable)'
            cand --remove 'Remove this address (repeatable)'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;field'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --unset 'Clear the field'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;link'= {
            cand --rel 'How ID relates to TARGET'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;unlink'= {
            cand --rel 'How ID relates to TARGET'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;close'= {
            cand -m 'An internal resolution note'
            cand --message 'An internal resolution note'
            cand --field 'Set a custom field on the way (repeatable), e.g. one required at close'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --lock 'Also lock the ticket: it can never be silently reopened'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;reopen'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;lock'= {
            cand -m 'Why'
            cand --message 'Why'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;unlock'= {
            cand -m 'Why'
            cand --message 'Why'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;log'= {
            cand --format 'Output format'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;check'= {
            cand --format 'Output format'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;reindex'= {
            cand --format 'Output format'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;report'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
            cand summary 'Created, resolved, reopened, backlog by age, first response and resolution times, replies per ticket'
            cand agents 'Per agent: tickets assigned and closed, replies, notes, response times, open load now'
            cand trend 'Created, resolved, reopened and backlog per day, week or month'
            cand breakdown 'Counts and times per status, priority, tag, assignee, customer domain or custom field'
            cand sla 'Tickets that breached the first-response or resolution targets in the config''s `sla` section, per agent and overall'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;report;summary'= {
            cand --since 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end'
            cand --until 'End of the period, not included; default: now'
            cand --status 'Only tickets in these statuses (repeatable or comma-separated)'
            cand --assignee 'Only tickets assigned to AGENT'
            cand --customer 'Only tickets whose customer or Cc name or address contains TEXT'
            cand --tag 'Only tickets with this tag (repeatable: all must match)'
            cand --priority 'Only these priorities (repeatable or comma-separated)'
            cand --field 'Only tickets whose custom field NAME equals VALUE (repeatable)'
            cand --format 'Output format; default: table on a terminal, csv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --mine 'Only tickets assigned to me'
            cand --unassigned 'Only unassigned tickets'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;report;agents'= {
            cand --since 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end'
            cand --until 'End of the period, not included; default: now'
            cand --status 'Only tickets in these statuses (repeatable or comma-separated)'
            cand --assignee 'Only tickets assigned to AGENT'
            cand --customer 'Only tickets whose customer or Cc name or address contains TEXT'
            cand --tag 'Only tickets with this tag (repeatable: all must match)'
            cand --priority 'Only these priorities (repeatable or comma-separated)'
            cand --field 'Only tickets whose custom field NAME equals VALUE (repeatable)'
            cand --format 'Output format; default: table on a terminal, csv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --mine 'Only tickets assigned to me'
            cand --unassigned 'Only unassigned tickets'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;report;trend'= {
            cand --by 'Bucket size'
            cand --since 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end'
            cand --until 'End of the period, not included; default: now'
            cand --status 'Only tickets in these statuses (repeatable or comma-separated)'
            cand --assignee 'Only tickets assigned to AGENT'
            cand --customer 'Only tickets whose customer or Cc name or address contains TEXT'
            cand --tag 'Only tickets with this tag (repeatable: all must match)'
            cand --priority 'Only these priorities (repeatable or comma-separated)'
            cand --field 'Only tickets whose custom field NAME equals VALUE (repeatable)'
            cand --format 'Output format; default: table on a terminal, csv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --mine 'Only tickets assigned to me'
            cand --unassigned 'Only unassigned tickets'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tix;report;breakdown'= {
            cand --by 'Group by status, priority, tag, assignee, domain (the customer''s) or field:NAME (a custom field)'
            cand --since 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end'
            cand --until 'End of the period, not included; default: now'
            cand --status 'Only tickets in these statuses (repeatable or comma-separated)'
            cand --assignee 'Only tickets assigned to AGENT'
            cand --customer 'Only tickets whose customer or Cc name or address contains TEXT'
            cand --tag 'Only tickets with this tag (repeatable: all must match)'
            cand --priority 'Only these priorities (repeatable or comma-separated)'
            cand --field 'Only tickets whose custom field NAME equals VALUE (repeatable)'
            cand --format 'Output format; default: table on a terminal, csv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --mine 'Only tickets assigned to me'
            cand --unassigned 'Only unassigned tickets'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;report;sla'= {
            cand --since 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end'
            cand --until 'End of the period, not included; default: now'
            cand --status 'Only tickets in these statuses (repeatable or comma-separated)'
            cand --assignee 'Only tickets assigned to AGENT'
            cand --customer 'Only tickets whose customer or Cc name or address contains TEXT'
            cand --tag 'Only tickets with this tag (repeatable: all must match)'
            cand --priority 'Only these priorities (repeatable or comma-separated)'
            cand --field 'Only tickets whose custom field NAME equals VALUE (repeatable)'
            cand --format 'Output format; default: table on a terminal, csv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --mine 'Only tickets assigned to me'
            cand --unassigned 'Only unassigned tickets'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;report;help'= {
            cand summary 'Created, resolved, reopened, backlog by age, first response and resolution times, replies per ticket'
            cand agents 'Per agent: tickets assigned and closed, replies, notes, response times, open load now'
            cand trend 'Created, resolved, reopened and backlog per day, week or month'
            cand breakdown 'Counts and times per status, priority, tag, assignee, customer domain or custom field'
            cand sla 'Tickets that breached the first-response or resolution targets in the config''s `sla` section, per agent and overall'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;report;help;summary'= {
        }
        &'tix;report;help;agents'= {
        }
        &'tix;report;help;trend'= {
        }
        &'tix;report;help;breakdown'= {
        }
        &'tix;report;help;sla'= {
        }
        &'tix;report;help;help'= {
        }
        &'tix;agent'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Declare an agent (admins only)'
            cand list 'List the agents, their active tickets and who is away'
            cand away 'Mark an agent away: assignment rules skip them, and a customer''s follow-up on their tickets is re-assigned'
            cand back 'Mark an agent back'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;agent;add'= {
            cand --email 'The agent''s e-mail address'
            cand --name 'Full name'
            cand --role 'Give a role (repeatable): admin or agent'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;agent;list'= {
            cand --format 'Output format; default: table on a terminal, tsv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;agent;away'= {
            cand --until 'Back by itself at this time (RFC 3339, a date, or a duration like 3d)'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;agent;back'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;agent;help'= {
            cand add 'Declare an agent (admins only)'
            cand list 'List the agents, their active tickets and who is away'
            cand away 'Mark an agent away: assignment rules skip them, and a customer''s follow-up on their tickets is re-assigned'
            cand back 'Mark an agent back'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;agent;help;add'= {
        }
        &'tix;agent;help;list'= {
        }
        &'tix;agent;help;away'= {
        }
        &'tix;agent;help;back'= {
        }
        &'tix;agent;help;help'= {
        }
        &'tix;import'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
            cand mbox 'Import every message of an mbox file'
            cand maildir 'Import every message of a Maildir folder (cur/ and new/)'
            cand eml 'Import one message from standard input (or FILE), e.g. piped from an MTA; exits 0 when filed or skipped, 65 when refused, 75 when the store is busy'
            cand pop3 'Fetch a POP3 mailbox declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import'
            cand imap 'Fetch an IMAP folder declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;import;mbox'= {
            cand --format 'Output format of the summary'
            cand --batch 'Messages per commit'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --dry-run 'Say what would happen to each message; write nothing'
            cand -v 'List every message''s outcome, not only the summary'
            cand --verbose 'List every message''s outcome, not only the summary'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;import;maildir'= {
            cand --format 'Output format of the summary'
            cand --batch 'Messages per commit'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --dry-run 'Say what would happen to each message; write nothing'
            cand -v 'List every message''s outcome, not only the summary'
            cand --verbose 'List every message''s outcome, not only the summary'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;import;eml'= {
            cand --format 'Output format of the summary'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --dry-run 'Say what would happen to the message; write nothing'
            cand -v 'List the message''s outcome, not only the summary'
            cand --verbose 'List the message''s outcome, not only the summary'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;import;pop3'= {
            cand --folder 'IMAP: fetch this folder instead of the account''s'
            cand --limit 'Download at most N new messages this run; the rest wait for the next'
            cand --format 'Output format of the summary'
            cand --batch 'Messages per commit'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --dry-run 'Say what would happen to each message; write nothing'
            cand -v 'List every message''s outcome, not only the summary'
            cand --verbose 'List every message''s outcome, not only the summary'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;import;imap'= {
            cand --folder 'IMAP: fetch this folder instead of the account''s'
            cand --limit 'Download at most N new messages this run; the rest wait for the next'
            cand --format 'Output format of the summary'
            cand --batch 'Messages per commit'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --dry-run 'Say what would happen to each message; write nothing'
            cand -v 'List every message''s outcome, not only the summary'
            cand --verbose 'List every message''s outcome, not only the summary'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;import;help'= {
            cand mbox 'Import every message of an mbox file'
            cand maildir 'Import every message of a Maildir folder (cur/ and new/)'
            cand eml 'Import one message from standard input (or FILE), e.g. piped from an MTA; exits 0 when filed or skipped, 65 when refused, 75 when the store is busy'
            cand pop3 'Fetch a POP3 mailbox declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import'
            cand imap 'Fetch an IMAP folder declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;import;help;mbox'= {
        }
        &'tix;import;help;maildir'= {
        }
        &'tix;import;help;eml'= {
        }
        &'tix;import;help;pop3'= {
        }
        &'tix;import;help;imap'= {
        }
        &'tix;import;help;help'= {
        }
        &'tix;quarantine'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List quarantined messages and why they were refused'
            cand retry 'File quarantined messages again (after a fix or a config change); those filed leave the quarantine'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;quarantine;list'= {
            cand --format 'Output format; default: table on a terminal, tsv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;quarantine;retry'= {
            cand --format 'Output format of the summary'
            cand --batch 'Messages per commit'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --dry-run 'Say what would happen to each message; write nothing'
            cand -v 'List every message''s outcome, not only the summary'
            cand --verbose 'List every message''s outcome, not only the summary'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;quarantine;help'= {
            cand list 'List quarantined messages and why they were refused'
            cand retry 'File quarantined messages again (after a fix or a config change); those filed leave the quarantine'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;quarantine;help;list'= {
        }
        &'tix;quarantine;help;retry'= {
        }
        &'tix;quarantine;help;help'= {
        }
        &'tix;outbox'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List replies waiting to be delivered, with the last error'
            cand retry 'Send waiting replies again (the same message, byte for byte)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;outbox;list'= {
            cand --format 'Output format; default: table on a terminal, tsv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;outbox;retry'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;outbox;help'= {
            cand list 'List replies waiting to be delivered, with the last error'
            cand retry 'Send waiting replies again (the same message, byte for byte)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;outbox;help;list'= {
        }
        &'tix;outbox;help;retry'= {
        }
        &'tix;outbox;help;help'= {
        }
        &'tix;escalate'= {
            cand --to 'A group, or an agent; default: the group after the ticket''s current one'
            cand -m 'The text (repeat for paragraphs)'
            cand --message 'The text (repeat for paragraphs)'
            cand -F 'Read the text from FILE, or from standard input with `-`'
            cand --file 'Read the text from FILE, or from standard input with `-`'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;snooze'= {
            cand --until 'Until when (RFC 3339, a date, or a duration like 3d from now)'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --wake 'Wake it now'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;tick'= {
            cand --format 'Output format'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --dry-run 'Say what would be done; change nothing'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tix;sla'= {
            cand --assignee 'Only tickets assigned to AGENT (handle or address)'
            cand --format 'Output format; default: table on a terminal, tsv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand --breached 'Only breached clocks'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;blacklist'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Skip mail from an address or a whole domain'
            cand list 'List the blacklist'
            cand remove 'Remove an entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;blacklist;add'= {
            cand --subject 'Only when the subject contains this text (case-insensitive)'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;blacklist;list'= {
            cand --format 'Output format; default: table on a terminal, tsv when piped'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;blacklist;remove'= {
            cand --subject 'Only the entry with this subject text'
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;blacklist;help'= {
            cand add 'Skip mail from an address or a whole domain'
            cand list 'List the blacklist'
            cand remove 'Remove an entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;blacklist;help;add'= {
        }
        &'tix;blacklist;help;list'= {
        }
        &'tix;blacklist;help;remove'= {
        }
        &'tix;blacklist;help;help'= {
        }
        &'tix;completions'= {
            cand -C 'Run as if tix was started in DIR'
            cand --as 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email'
            cand -y 'Answer yes to confirmations'
            cand --yes 'Answer yes to confirmations'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tix;help'= {
            cand init 'Create a tix store here (and a git repository if there is none)'
            cand create 'Open a new ticket'
            cand list 'List tickets (open ones, newest activity first)'
            cand show 'Show a ticket and its whole trail'
            cand reply 'Add a public reply for the customer'
            cand comment 'Add a private internal note'
            cand assign 'Assign a ticket to an agent, or unassign it'
            cand status 'Set a ticket''s status'
            cand priority 'Set a ticket''s priority'
            cand subject 'Change a ticket''s subject'
            cand tag 'Add tags to a ticket'
            cand untag 'Remove tags from a ticket'
            cand cc 'Add people to, or remove them from, a ticket''s Cc'
            cand field 'Set or clear a custom field'
            cand link 'Link a ticket to another'
            cand unlink 'Remove a link'
            cand close 'Close a ticket, optionally locking it'
            cand reopen 'Reopen a closed ticket'
            cand lock 'Lock a ticket against every further change'
            cand unlock 'Lift a lock (admins only)'
            cand log 'Show the git history of a ticket'
            cand check 'Verify the store: unreadable entries, rewritten history, config'
            cand reindex 'Rebuild the derived index in .git/tix/ from the store (never needed for correctness: it is refreshed automatically)'
            cand report 'Service reports over a period: volumes, response and resolution times, agents, trends, breakdowns, SLA breaches'
            cand agent 'Manage the agents of this store'
            cand import 'File mail from a mailbox into tickets'
            cand quarantine 'Messages that could not be filed'
            cand outbox 'Replies recorded but not (yet) delivered by e-mail'
            cand escalate 'Move a ticket to the next group (level), with a note for the next agent'
            cand snooze 'Hide a ticket from the list until a time; it wakes then (tix tick) or when the customer writes'
            cand tick 'Apply the time rules once: wake snoozed tickets, assign those waiting for room, auto-close and lock, and act on SLA warnings and breaches (run it from cron or a systemd timer)'
            cand sla 'Open tickets'' SLA clocks by time left, breached first'
            cand blacklist 'Senders whose mail is skipped'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tix;help;init'= {
        }
        &'tix;help;create'= {
        }
        &'tix;help;list'= {
        }
        &'tix;help;show'= {
        }
        &'tix;help;reply'= {
        }
        &'tix;help;comment'= {
        }
        &'tix;help;assign'= {
        }
        &'tix;help;status'= {
        }
        &'tix;help;priority'= {
        }
        &'tix;help;subject'= {
        }
        &'tix;help;tag'= {
        }
        &'tix;help;untag'= {
        }
        &'tix;help;cc'= {
        }
        &'tix;help;field'= {
        }
        &'tix;help;link'= {
        }
        &'tix;help;unlink'= {
        }
        &'tix;help;close'= {
        }
        &'tix;help;reopen'= {
        }
        &'tix;help;lock'= {
        }
        &'tix;help;unlock'= {
        }
        &'tix;help;log'= {
        }
        &'tix;help;check'= {
        }
        &'tix;help;reindex'= {
        }
        &'tix;help;report'= {
            cand summary 'Created, resolved, reopened, backlog by age, first response and resolution times, replies per ticket'
            cand agents 'Per agent: tickets assigned and closed, replies, notes, response times, open load now'
            cand trend 'Created, resolved, reopened and backlog per day, week or month'
            cand breakdown 'Counts and times per status, priority, tag, assignee, customer domain or custom field'
            cand sla 'Tickets that breached the first-response or resolution targets in the config''s `sla` section, per agent and overall'
        }
        &'tix;help;report;summary'= {
        }
        &'tix;help;report;agents'= {
        }
        &'tix;help;report;trend'= {
        }
        &'tix;help;report;breakdown'= {
        }
        &'tix;help;report;sla'= {
        }
        &'tix;help;agent'= {
            cand add 'Declare an agent (admins only)'
            cand list 'List the agents, their active tickets and who is away'
            cand away 'Mark an agent away: assignment rules skip them, and a customer''s follow-up on their tickets is re-assigned'
            cand back 'Mark an agent back'
        }
        &'tix;help;agent;add'= {
        }
        &'tix;help;agent;list'= {
        }
        &'tix;help;agent;away'= {
        }
        &'tix;help;agent;back'= {
        }
        &'tix;help;import'= {
            cand mbox 'Import every message of an mbox file'
            cand maildir 'Import every message of a Maildir folder (cur/ and new/)'
            cand eml 'Import one message from standard input (or FILE), e.g. piped from an MTA; exits 0 when filed or skipped, 65 when refused, 75 when the store is busy'
            cand pop3 'Fetch a POP3 mailbox declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import'
            cand imap 'Fetch an IMAP folder declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import'
        }
        &'tix;help;import;mbox'= {
        }
        &'tix;help;import;maildir'= {
        }
        &'tix;help;import;eml'= {
        }
        &'tix;help;import;pop3'= {
        }
        &'tix;help;import;imap'= {
        }
        &'tix;help;quarantine'= {
            cand list 'List quarantined messages and why they were refused'
            cand retry 'File quarantined messages again (after a fix or a config change); those filed leave the quarantine'
        }
        &'tix;help;quarantine;list'= {
        }
        &'tix;help;quarantine;retry'= {
        }
        &'tix;help;outbox'= {
            cand list 'List replies waiting to be delivered, with the last error'
            cand retry 'Send waiting replies again (the same message, byte for byte)'
        }
        &'tix;help;outbox;list'= {
        }
        &'tix;help;outbox;retry'= {
        }
        &'tix;help;escalate'= {
        }
        &'tix;help;snooze'= {
        }
        &'tix;help;tick'= {
        }
        &'tix;help;sla'= {
        }
        &'tix;help;blacklist'= {
            cand add 'Skip mail from an address or a whole domain'
            cand list 'List the blacklist'
            cand remove 'Remove an entry'
        }
        &'tix;help;blacklist;add'= {
        }
        &'tix;help;blacklist;list'= {
        }
        &'tix;help;blacklist;remove'= {
        }
        &'tix;help;completions'= {
        }
        &'tix;help;help'= {
        }
    ]
    $completions[$command]
}
