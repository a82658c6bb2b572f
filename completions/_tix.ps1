
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tix' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tix'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tix' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a tix store here (and a git repository if there is none)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Open a new ticket')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tickets (open ones, newest activity first)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List tickets (open ones, newest activity first)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a ticket and its whole trail')
            [CompletionResult]::new('reply', 'reply', [CompletionResultType]::ParameterValue, 'Add a public reply for the customer')
            [CompletionResult]::new('comment', 'comment', [CompletionResultType]::ParameterValue, 'Add a private internal note')
            [CompletionResult]::new('note', 'note', [CompletionResultType]::ParameterValue, 'Add a private internal note')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Assign a ticket to an agent, or unassign it')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Set a ticket''s status')
            [CompletionResult]::new('priority', 'priority', [CompletionResultType]::ParameterValue, 'Set a ticket''s priority')
            [CompletionResult]::new('subject', 'subject', [CompletionResultType]::ParameterValue, 'Change a ticket''s subject')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Add tags to a ticket')
            [CompletionResult]::new('untag', 'untag', [CompletionResultType]::ParameterValue, 'Remove tags from a ticket')
            [CompletionResult]::new('cc', 'cc', [CompletionResultType]::ParameterValue, 'Add people to, or remove them from, a ticket''s Cc')
            [CompletionResult]::new('field', 'field', [CompletionResultType]::ParameterValue, 'Set or clear a custom field')
            [CompletionResult]::new('link', 'link', [CompletionResultType]::ParameterValue, 'Link a ticket to another')
            [CompletionResult]::new('unlink', 'unlink', [CompletionResultType]::ParameterValue, 'Remove a link')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close a ticket, optionally locking it')
            [CompletionResult]::new('reopen', 'reopen', [CompletionResultType]::ParameterValue, 'Reopen a closed ticket')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Lock a ticket against every further change')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Lift a lock (admins only)')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the git history of a ticket')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Verify the store: unreadable entries, rewritten history, config')
            [CompletionResult]::new('reindex', 'reindex', [CompletionResultType]::ParameterValue, 'Rebuild the derived index in .git/tix/ from the store (never needed for correctness: it is refreshed automatically)')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Service reports over a period: volumes, response and resolution times, agents, trends, breakdowns, SLA breaches')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Manage the agents of this store')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'File mail from a mailbox into tickets')
            [CompletionResult]::new('quarantine', 'quarantine', [CompletionResultType]::ParameterValue, 'Messages that could not be filed')
            [CompletionResult]::new('outbox', 'outbox', [CompletionResultType]::ParameterValue, 'Replies recorded but not (yet) delivered by e-mail')
            [CompletionResult]::new('escalate', 'escalate', [CompletionResultType]::ParameterValue, 'Move a ticket to the next group (level), with a note for the next agent')
            [CompletionResult]::new('snooze', 'snooze', [CompletionResultType]::ParameterValue, 'Hide a ticket from the list until a time; it wakes then (tix tick) or when the customer writes')
            [CompletionResult]::new('tick', 'tick', [CompletionResultType]::ParameterValue, 'Apply the time rules once: wake snoozed tickets, assign those waiting for room, auto-close and lock, and act on SLA warnings and breaches (run it from cron or a systemd timer)')
            [CompletionResult]::new('sla', 'sla', [CompletionResultType]::ParameterValue, 'Open tickets'' SLA clocks by time left, breached first')
            [CompletionResult]::new('blacklist', 'blacklist', [CompletionResultType]::ParameterValue, 'Senders whose mail is skipped')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;init' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The team''s name')
            [CompletionResult]::new('--handle', '--handle', [CompletionResultType]::ParameterName, 'Handle of the first (admin) agent; default: from git user.email')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;create' {
            [CompletionResult]::new('--customer', '--customer', [CompletionResultType]::ParameterName, 'The customer, as `Name <address>` or `address`')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'One line saying what the ticket is about')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The text (repeat for paragraphs)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The text (repeat for paragraphs)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Read the text from FILE, or from standard input with `-`')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the text from FILE, or from standard input with `-`')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'How urgent the ticket is')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Add a tag (repeatable)')
            [CompletionResult]::new('--cc', '--cc', [CompletionResultType]::ParameterName, 'Add someone to Cc (repeatable)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Set a custom field (repeatable)')
            [CompletionResult]::new('--assign', '--assign', [CompletionResultType]::ParameterName, 'Assign to an agent at once')
            [CompletionResult]::new('--attach', '--attach', [CompletionResultType]::ParameterName, 'Attach a file (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'What to print: the id only (default when piped), text, or json')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only tickets in these statuses (repeatable or comma-separated)')
            [CompletionResult]::new('--assignee', '--assignee', [CompletionResultType]::ParameterName, 'Only tickets assigned to AGENT')
            [CompletionResult]::new('--customer', '--customer', [CompletionResultType]::ParameterName, 'Only tickets whose customer or Cc name or address contains TEXT')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tickets with this tag (repeatable: all must match)')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Only these priorities (repeatable or comma-separated)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only tickets whose custom field NAME equals VALUE (repeatable)')
            [CompletionResult]::new('--sla', '--sla', [CompletionResultType]::ParameterName, 'Only tickets whose SLA clocks are in this state')
            [CompletionResult]::new('--created-since', '--created-since', [CompletionResultType]::ParameterName, 'Created at or after WHEN (2026-11-01, 2026-11-01 09:00, 7d, 12h)')
            [CompletionResult]::new('--created-until', '--created-until', [CompletionResultType]::ParameterName, 'Created before WHEN')
            [CompletionResult]::new('--updated-since', '--updated-since', [CompletionResultType]::ParameterName, 'Last changed at or after WHEN')
            [CompletionResult]::new('--updated-until', '--updated-until', [CompletionResultType]::ParameterName, 'Last changed before WHEN')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only tickets whose subject or text contains TEXT (case-insensitive)')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'Only tickets whose subject or text contains TEXT (case-insensitive)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order of the list')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Print at most N tickets')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, tsv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only tickets assigned to me')
            [CompletionResult]::new('--unassigned', '--unassigned', [CompletionResultType]::ParameterName, 'Only unassigned tickets')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Include closed tickets (by default `list` leaves them out)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include closed tickets (by default `list` leaves them out)')
            [CompletionResult]::new('--snoozed', '--snoozed', [CompletionResultType]::ParameterName, 'Only snoozed tickets (hidden otherwise until they wake)')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Reverse the order')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Table: show every cell whole instead of cutting long ones to the terminal width (COLUMNS, else the terminal''s)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tix;ls' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only tickets in these statuses (repeatable or comma-separated)')
            [CompletionResult]::new('--assignee', '--assignee', [CompletionResultType]::ParameterName, 'Only tickets assigned to AGENT')
            [CompletionResult]::new('--customer', '--customer', [CompletionResultType]::ParameterName, 'Only tickets whose customer or Cc name or address contains TEXT')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tickets with this tag (repeatable: all must match)')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Only these priorities (repeatable or comma-separated)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only tickets whose custom field NAME equals VALUE (repeatable)')
            [CompletionResult]::new('--sla', '--sla', [CompletionResultType]::ParameterName, 'Only tickets whose SLA clocks are in this state')
            [CompletionResult]::new('--created-since', '--created-since', [CompletionResultType]::ParameterName, 'Created at or after WHEN (2026-11-01, 2026-11-01 09:00, 7d, 12h)')
            [CompletionResult]::new('--created-until', '--created-until', [CompletionResultType]::ParameterName, 'Created before WHEN')
            [CompletionResult]::new('--updated-since', '--updated-since', [CompletionResultType]::ParameterName, 'Last changed at or after WHEN')
            [CompletionResult]::new('--updated-until', '--updated-until', [CompletionResultType]::ParameterName, 'Last changed before WHEN')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only tickets whose subject or text contains TEXT (case-insensitive)')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'Only tickets whose subject or text contains TEXT (case-insensitive)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order of the list')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Print at most N tickets')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, tsv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only tickets assigned to me')
            [CompletionResult]::new('--unassigned', '--unassigned', [CompletionResultType]::ParameterName, 'Only unassigned tickets')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Include closed tickets (by default `list` leaves them out)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include closed tickets (by default `list` leaves them out)')
            [CompletionResult]::new('--snoozed', '--snoozed', [CompletionResultType]::ParameterName, 'Only snoozed tickets (hidden otherwise until they wake)')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Reverse the order')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Table: show every cell whole instead of cutting long ones to the terminal width (COLUMNS, else the terminal''s)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tix;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--public', '--public', [CompletionResultType]::ParameterName, 'Leave out internal notes and internal changes: what the customer may see')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;reply' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The text (repeat for paragraphs)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The text (repeat for paragraphs)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Read the text from FILE, or from standard input with `-`')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the text from FILE, or from standard input with `-`')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Also set the status (default: a new ticket becomes open)')
            [CompletionResult]::new('--attach', '--attach', [CompletionResultType]::ParameterName, 'Attach a file (repeatable)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'A canned answer: the text of .tix/templates/NAME.md (after any -m/-F text)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--no-send', '--no-send', [CompletionResultType]::ParameterName, 'Record the reply without e-mailing it')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;comment' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The text (repeat for paragraphs)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The text (repeat for paragraphs)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Read the text from FILE, or from standard input with `-`')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the text from FILE, or from standard input with `-`')
            [CompletionResult]::new('--attach', '--attach', [CompletionResultType]::ParameterName, 'Attach a file (repeatable)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;note' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The text (repeat for paragraphs)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The text (repeat for paragraphs)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Read the text from FILE, or from standard input with `-`')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the text from FILE, or from standard input with `-`')
            [CompletionResult]::new('--attach', '--attach', [CompletionResultType]::ParameterName, 'Attach a file (repeatable)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;assign' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--none', '--none', [CompletionResultType]::ParameterName, 'Remove the assignee')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;status' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;priority' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;subject' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;tag' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;untag' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;cc' {
            [CompletionResult]::new('--add', '--add', [CompletionResultType]::ParameterName, 'Add this address (repeatable)')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Remove this address (repeatable)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;field' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Clear the field')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;link' {
            [CompletionResult]::new('--rel', '--rel', [CompletionResultType]::ParameterName, 'How ID relates to TARGET')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;unlink' {
            [CompletionResult]::new('--rel', '--rel', [CompletionResultType]::ParameterName, 'How ID relates to TARGET')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;close' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'An internal resolution note')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'An internal resolution note')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Set a custom field on the way (repeatable), e.g. one required at close')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--lock', '--lock', [CompletionResultType]::ParameterName, 'Also lock the ticket: it can never be silently reopened')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;reopen' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;lock' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Why')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'Why')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;unlock' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Why')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'Why')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;log' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;check' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;reindex' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;report' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('summary', 'summary', [CompletionResultType]::ParameterValue, 'Created, resolved, reopened, backlog by age, first response and resolution times, replies per ticket')
            [CompletionResult]::new('agents', 'agents', [CompletionResultType]::ParameterValue, 'Per agent: tickets assigned and closed, replies, notes, response times, open load now')
            [CompletionResult]::new('trend', 'trend', [CompletionResultType]::ParameterValue, 'Created, resolved, reopened and backlog per day, week or month')
            [CompletionResult]::new('breakdown', 'breakdown', [CompletionResultType]::ParameterValue, 'Counts and times per status, priority, tag, assignee, customer domain or custom field')
            [CompletionResult]::new('sla', 'sla', [CompletionResultType]::ParameterValue, 'Tickets that breached the first-response or resolution targets in the config''s `sla` section, per agent and overall')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;report;summary' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, not included; default: now')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only tickets in these statuses (repeatable or comma-separated)')
            [CompletionResult]::new('--assignee', '--assignee', [CompletionResultType]::ParameterName, 'Only tickets assigned to AGENT')
            [CompletionResult]::new('--customer', '--customer', [CompletionResultType]::ParameterName, 'Only tickets whose customer or Cc name or address contains TEXT')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tickets with this tag (repeatable: all must match)')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Only these priorities (repeatable or comma-separated)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only tickets whose custom field NAME equals VALUE (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, csv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only tickets assigned to me')
            [CompletionResult]::new('--unassigned', '--unassigned', [CompletionResultType]::ParameterName, 'Only unassigned tickets')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;report;agents' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, not included; default: now')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only tickets in these statuses (repeatable or comma-separated)')
            [CompletionResult]::new('--assignee', '--assignee', [CompletionResultType]::ParameterName, 'Only tickets assigned to AGENT')
            [CompletionResult]::new('--customer', '--customer', [CompletionResultType]::ParameterName, 'Only tickets whose customer or Cc name or address contains TEXT')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tickets with this tag (repeatable: all must match)')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Only these priorities (repeatable or comma-separated)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only tickets whose custom field NAME equals VALUE (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, csv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only tickets assigned to me')
            [CompletionResult]::new('--unassigned', '--unassigned', [CompletionResultType]::ParameterName, 'Only unassigned tickets')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;report;trend' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Bucket size')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, not included; default: now')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only tickets in these statuses (repeatable or comma-separated)')
            [CompletionResult]::new('--assignee', '--assignee', [CompletionResultType]::ParameterName, 'Only tickets assigned to AGENT')
            [CompletionResult]::new('--customer', '--customer', [CompletionResultType]::ParameterName, 'Only tickets whose customer or Cc name or address contains TEXT')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tickets with this tag (repeatable: all must match)')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Only these priorities (repeatable or comma-separated)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only tickets whose custom field NAME equals VALUE (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, csv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only tickets assigned to me')
            [CompletionResult]::new('--unassigned', '--unassigned', [CompletionResultType]::ParameterName, 'Only unassigned tickets')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tix;report;breakdown' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group by status, priority, tag, assignee, domain (the customer''s) or field:NAME (a custom field)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, not included; default: now')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only tickets in these statuses (repeatable or comma-separated)')
            [CompletionResult]::new('--assignee', '--assignee', [CompletionResultType]::ParameterName, 'Only tickets assigned to AGENT')
            [CompletionResult]::new('--customer', '--customer', [CompletionResultType]::ParameterName, 'Only tickets whose customer or Cc name or address contains TEXT')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tickets with this tag (repeatable: all must match)')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Only these priorities (repeatable or comma-separated)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only tickets whose custom field NAME equals VALUE (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, csv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only tickets assigned to me')
            [CompletionResult]::new('--unassigned', '--unassigned', [CompletionResultType]::ParameterName, 'Only unassigned tickets')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;report;sla' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period (2026-11-01, 2026-11-01 09:00, 30d); default: 30 days before its end')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, not included; default: now')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only tickets in these statuses (repeatable or comma-separated)')
            [CompletionResult]::new('--assignee', '--assignee', [CompletionResultType]::ParameterName, 'Only tickets assigned to AGENT')
            [CompletionResult]::new('--customer', '--customer', [CompletionResultType]::ParameterName, 'Only tickets whose customer or Cc name or address contains TEXT')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only tickets with this tag (repeatable: all must match)')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Only these priorities (repeatable or comma-separated)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only tickets whose custom field NAME equals VALUE (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, csv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only tickets assigned to me')
            [CompletionResult]::new('--unassigned', '--unassigned', [CompletionResultType]::ParameterName, 'Only unassigned tickets')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;report;help' {
            [CompletionResult]::new('summary', 'summary', [CompletionResultType]::ParameterValue, 'Created, resolved, reopened, backlog by age, first response and resolution times, replies per ticket')
            [CompletionResult]::new('agents', 'agents', [CompletionResultType]::ParameterValue, 'Per agent: tickets assigned and closed, replies, notes, response times, open load now')
            [CompletionResult]::new('trend', 'trend', [CompletionResultType]::ParameterValue, 'Created, resolved, reopened and backlog per day, week or month')
            [CompletionResult]::new('breakdown', 'breakdown', [CompletionResultType]::ParameterValue, 'Counts and times per status, priority, tag, assignee, customer domain or custom field')
            [CompletionResult]::new('sla', 'sla', [CompletionResultType]::ParameterValue, 'Tickets that breached the first-response or resolution targets in the config''s `sla` section, per agent and overall')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;report;help;summary' {
            break
        }
        'tix;report;help;agents' {
            break
        }
        'tix;report;help;trend' {
            break
        }
        'tix;report;help;breakdown' {
            break
        }
        'tix;report;help;sla' {
            break
        }
        'tix;report;help;help' {
            break
        }
        'tix;agent' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare an agent (admins only)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the agents, their active tickets and who is away')
            [CompletionResult]::new('away', 'away', [CompletionResultType]::ParameterValue, 'Mark an agent away: assignment rules skip them, and a customer''s follow-up on their tickets is re-assigned')
            [CompletionResult]::new('back', 'back', [CompletionResultType]::ParameterValue, 'Mark an agent back')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;agent;add' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The agent''s e-mail address')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Full name')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Give a role (repeatable): admin or agent')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;agent;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, tsv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;agent;away' {
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Back by itself at this time (RFC 3339, a date, or a duration like 3d)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;agent;back' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;agent;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare an agent (admins only)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the agents, their active tickets and who is away')
            [CompletionResult]::new('away', 'away', [CompletionResultType]::ParameterValue, 'Mark an agent away: assignment rules skip them, and a customer''s follow-up on their tickets is re-assigned')
            [CompletionResult]::new('back', 'back', [CompletionResultType]::ParameterValue, 'Mark an agent back')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;agent;help;add' {
            break
        }
        'tix;agent;help;list' {
            break
        }
        'tix;agent;help;away' {
            break
        }
        'tix;agent;help;back' {
            break
        }
        'tix;agent;help;help' {
            break
        }
        'tix;import' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('mbox', 'mbox', [CompletionResultType]::ParameterValue, 'Import every message of an mbox file')
            [CompletionResult]::new('maildir', 'maildir', [CompletionResultType]::ParameterValue, 'Import every message of a Maildir folder (cur/ and new/)')
            [CompletionResult]::new('eml', 'eml', [CompletionResultType]::ParameterValue, 'Import one message from standard input (or FILE), e.g. piped from an MTA; exits 0 when filed or skipped, 65 when refused, 75 when the store is busy')
            [CompletionResult]::new('pop3', 'pop3', [CompletionResultType]::ParameterValue, 'Fetch a POP3 mailbox declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import')
            [CompletionResult]::new('imap', 'imap', [CompletionResultType]::ParameterValue, 'Fetch an IMAP folder declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;import;mbox' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the summary')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Messages per commit')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would happen to each message; write nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'List every message''s outcome, not only the summary')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'List every message''s outcome, not only the summary')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;import;maildir' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the summary')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Messages per commit')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would happen to each message; write nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'List every message''s outcome, not only the summary')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'List every message''s outcome, not only the summary')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;import;eml' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the summary')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would happen to the message; write nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'List the message''s outcome, not only the summary')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'List the message''s outcome, not only the summary')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;import;pop3' {
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'IMAP: fetch this folder instead of the account''s')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Download at most N new messages this run; the rest wait for the next')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the summary')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Messages per commit')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would happen to each message; write nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'List every message''s outcome, not only the summary')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'List every message''s outcome, not only the summary')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;import;imap' {
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'IMAP: fetch this folder instead of the account''s')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Download at most N new messages this run; the rest wait for the next')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the summary')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Messages per commit')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would happen to each message; write nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'List every message''s outcome, not only the summary')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'List every message''s outcome, not only the summary')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;import;help' {
            [CompletionResult]::new('mbox', 'mbox', [CompletionResultType]::ParameterValue, 'Import every message of an mbox file')
            [CompletionResult]::new('maildir', 'maildir', [CompletionResultType]::ParameterValue, 'Import every message of a Maildir folder (cur/ and new/)')
            [CompletionResult]::new('eml', 'eml', [CompletionResultType]::ParameterValue, 'Import one message from standard input (or FILE), e.g. piped from an MTA; exits 0 when filed or skipped, 65 when refused, 75 when the store is busy')
            [CompletionResult]::new('pop3', 'pop3', [CompletionResultType]::ParameterValue, 'Fetch a POP3 mailbox declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import')
            [CompletionResult]::new('imap', 'imap', [CompletionResultType]::ParameterValue, 'Fetch an IMAP folder declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;import;help;mbox' {
            break
        }
        'tix;import;help;maildir' {
            break
        }
        'tix;import;help;eml' {
            break
        }
        'tix;import;help;pop3' {
            break
        }
        'tix;import;help;imap' {
            break
        }
        'tix;import;help;help' {
            break
        }
        'tix;quarantine' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List quarantined messages and why they were refused')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'File quarantined messages again (after a fix or a config change); those filed leave the quarantine')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;quarantine;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, tsv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;quarantine;retry' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the summary')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Messages per commit')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would happen to each message; write nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'List every message''s outcome, not only the summary')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'List every message''s outcome, not only the summary')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;quarantine;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List quarantined messages and why they were refused')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'File quarantined messages again (after a fix or a config change); those filed leave the quarantine')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;quarantine;help;list' {
            break
        }
        'tix;quarantine;help;retry' {
            break
        }
        'tix;quarantine;help;help' {
            break
        }
        'tix;outbox' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List replies waiting to be delivered, with the last error')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Send waiting replies again (the same message, byte for byte)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;outbox;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, tsv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;outbox;retry' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;outbox;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List replies waiting to be delivered, with the last error')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Send waiting replies again (the same message, byte for byte)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;outbox;help;list' {
            break
        }
        'tix;outbox;help;retry' {
            break
        }
        'tix;outbox;help;help' {
            break
        }
        'tix;escalate' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'A group, or an agent; default: the group after the ticket''s current one')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The text (repeat for paragraphs)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The text (repeat for paragraphs)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Read the text from FILE, or from standard input with `-`')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the text from FILE, or from standard input with `-`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;snooze' {
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Until when (RFC 3339, a date, or a duration like 3d from now)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--wake', '--wake', [CompletionResultType]::ParameterName, 'Wake it now')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;tick' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tix;sla' {
            [CompletionResult]::new('--assignee', '--assignee', [CompletionResultType]::ParameterName, 'Only tickets assigned to AGENT (handle or address)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, tsv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('--breached', '--breached', [CompletionResultType]::ParameterName, 'Only breached clocks')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;blacklist' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Skip mail from an address or a whole domain')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the blacklist')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;blacklist;add' {
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'Only when the subject contains this text (case-insensitive)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;blacklist;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: table on a terminal, tsv when piped')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;blacklist;remove' {
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'Only the entry with this subject text')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;blacklist;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Skip mail from an address or a whole domain')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the blacklist')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;blacklist;help;add' {
            break
        }
        'tix;blacklist;help;list' {
            break
        }
        'tix;blacklist;help;remove' {
            break
        }
        'tix;blacklist;help;help' {
            break
        }
        'tix;completions' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if tix was started in DIR')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Act as this agent (handle or e-mail); default: TIX_AGENT, then git user.email')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tix;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a tix store here (and a git repository if there is none)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Open a new ticket')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tickets (open ones, newest activity first)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a ticket and its whole trail')
            [CompletionResult]::new('reply', 'reply', [CompletionResultType]::ParameterValue, 'Add a public reply for the customer')
            [CompletionResult]::new('comment', 'comment', [CompletionResultType]::ParameterValue, 'Add a private internal note')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Assign a ticket to an agent, or unassign it')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Set a ticket''s status')
            [CompletionResult]::new('priority', 'priority', [CompletionResultType]::ParameterValue, 'Set a ticket''s priority')
            [CompletionResult]::new('subject', 'subject', [CompletionResultType]::ParameterValue, 'Change a ticket''s subject')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Add tags to a ticket')
            [CompletionResult]::new('untag', 'untag', [CompletionResultType]::ParameterValue, 'Remove tags from a ticket')
            [CompletionResult]::new('cc', 'cc', [CompletionResultType]::ParameterValue, 'Add people to, or remove them from, a ticket''s Cc')
            [CompletionResult]::new('field', 'field', [CompletionResultType]::ParameterValue, 'Set or clear a custom field')
            [CompletionResult]::new('link', 'link', [CompletionResultType]::ParameterValue, 'Link a ticket to another')
            [CompletionResult]::new('unlink', 'unlink', [CompletionResultType]::ParameterValue, 'Remove a link')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Close a ticket, optionally locking it')
            [CompletionResult]::new('reopen', 'reopen', [CompletionResultType]::ParameterValue, 'Reopen a closed ticket')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Lock a ticket against every further change')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Lift a lock (admins only)')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the git history of a ticket')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Verify the store: unreadable entries, rewritten history, config')
            [CompletionResult]::new('reindex', 'reindex', [CompletionResultType]::ParameterValue, 'Rebuild the derived index in .git/tix/ from the store (never needed for correctness: it is refreshed automatically)')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Service reports over a period: volumes, response and resolution times, agents, trends, breakdowns, SLA breaches')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Manage the agents of this store')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'File mail from a mailbox into tickets')
            [CompletionResult]::new('quarantine', 'quarantine', [CompletionResultType]::ParameterValue, 'Messages that could not be filed')
            [CompletionResult]::new('outbox', 'outbox', [CompletionResultType]::ParameterValue, 'Replies recorded but not (yet) delivered by e-mail')
            [CompletionResult]::new('escalate', 'escalate', [CompletionResultType]::ParameterValue, 'Move a ticket to the next group (level), with a note for the next agent')
            [CompletionResult]::new('snooze', 'snooze', [CompletionResultType]::ParameterValue, 'Hide a ticket from the list until a time; it wakes then (tix tick) or when the customer writes')
            [CompletionResult]::new('tick', 'tick', [CompletionResultType]::ParameterValue, 'Apply the time rules once: wake snoozed tickets, assign those waiting for room, auto-close and lock, and act on SLA warnings and breaches (run it from cron or a systemd timer)')
            [CompletionResult]::new('sla', 'sla', [CompletionResultType]::ParameterValue, 'Open tickets'' SLA clocks by time left, breached first')
            [CompletionResult]::new('blacklist', 'blacklist', [CompletionResultType]::ParameterValue, 'Senders whose mail is skipped')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tix;help;init' {
            break
        }
        'tix;help;create' {
            break
        }
        'tix;help;list' {
            break
        }
        'tix;help;show' {
            break
        }
        'tix;help;reply' {
            break
        }
        'tix;help;comment' {
            break
        }
        'tix;help;assign' {
            break
        }
        'tix;help;status' {
            break
        }
        'tix;help;priority' {
            break
        }
        'tix;help;subject' {
            break
        }
        'tix;help;tag' {
            break
        }
        'tix;help;untag' {
            break
        }
        'tix;help;cc' {
            break
        }
        'tix;help;field' {
            break
        }
        'tix;help;link' {
            break
        }
        'tix;help;unlink' {
            break
        }
        'tix;help;close' {
            break
        }
        'tix;help;reopen' {
            break
        }
        'tix;help;lock' {
            break
        }
        'tix;help;unlock' {
            break
        }
        'tix;help;log' {
            break
        }
        'tix;help;check' {
            break
        }
        'tix;help;reindex' {
            break
        }
        'tix;help;report' {
            [CompletionResult]::new('summary', 'summary', [CompletionResultType]::ParameterValue, 'Created, resolved, reopened, backlog by age, first response and resolution times, replies per ticket')
            [CompletionResult]::new('agents', 'agents', [CompletionResultType]::ParameterValue, 'Per agent: tickets assigned and closed, replies, notes, response times, open load now')
            [CompletionResult]::new('trend', 'trend', [CompletionResultType]::ParameterValue, 'Created, resolved, reopened and backlog per day, week or month')
            [CompletionResult]::new('breakdown', 'breakdown', [CompletionResultType]::ParameterValue, 'Counts and times per status, priority, tag, assignee, customer domain or custom field')
            [CompletionResult]::new('sla', 'sla', [CompletionResultType]::ParameterValue, 'Tickets that breached the first-response or resolution targets in the config''s `sla` section, per agent and overall')
            break
        }
        'tix;help;report;summary' {
            break
        }
        'tix;help;report;agents' {
            break
        }
        'tix;help;report;trend' {
            break
        }
        'tix;help;report;breakdown' {
            break
        }
        'tix;help;report;sla' {
            break
        }
        'tix;help;agent' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare an agent (admins only)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the agents, their active tickets and who is away')
            [CompletionResult]::new('away', 'away', [CompletionResultType]::ParameterValue, 'Mark an agent away: assignment rules skip them, and a customer''s follow-up on their tickets is re-assigned')
            [CompletionResult]::new('back', 'back', [CompletionResultType]::ParameterValue, 'Mark an agent back')
            break
        }
        'tix;help;agent;add' {
            break
        }
        'tix;help;agent;list' {
            break
        }
        'tix;help;agent;away' {
            break
        }
        'tix;help;agent;back' {
            break
        }
        'tix;help;import' {
            [CompletionResult]::new('mbox', 'mbox', [CompletionResultType]::ParameterValue, 'Import every message of an mbox file')
            [CompletionResult]::new('maildir', 'maildir', [CompletionResultType]::ParameterValue, 'Import every message of a Maildir folder (cur/ and new/)')
            [CompletionResult]::new('eml', 'eml', [CompletionResultType]::ParameterValue, 'Import one message from standard input (or FILE), e.g. piped from an MTA; exits 0 when filed or skipped, 65 when refused, 75 when the store is busy')
            [CompletionResult]::new('pop3', 'pop3', [CompletionResultType]::ParameterValue, 'Fetch a POP3 mailbox declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import')
            [CompletionResult]::new('imap', 'imap', [CompletionResultType]::ParameterValue, 'Fetch an IMAP folder declared in .tix/config.yaml (mail.accounts); what happens on the server afterwards is the account''s after_import')
            break
        }
        'tix;help;import;mbox' {
            break
        }
        'tix;help;import;maildir' {
            break
        }
        'tix;help;import;eml' {
            break
        }
        'tix;help;import;pop3' {
            break
        }
        'tix;help;import;imap' {
            break
        }
        'tix;help;quarantine' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List quarantined messages and why they were refused')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'File quarantined messages again (after a fix or a config change); those filed leave the quarantine')
            break
        }
        'tix;help;quarantine;list' {
            break
        }
        'tix;help;quarantine;retry' {
            break
        }
        'tix;help;outbox' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List replies waiting to be delivered, with the last error')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Send waiting replies again (the same message, byte for byte)')
            break
        }
        'tix;help;outbox;list' {
            break
        }
        'tix;help;outbox;retry' {
            break
        }
        'tix;help;escalate' {
            break
        }
        'tix;help;snooze' {
            break
        }
        'tix;help;tick' {
            break
        }
        'tix;help;sla' {
            break
        }
        'tix;help;blacklist' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Skip mail from an address or a whole domain')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the blacklist')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an entry')
            break
        }
        'tix;help;blacklist;add' {
            break
        }
        'tix;help;blacklist;list' {
            break
        }
        'tix;help;blacklist;remove' {
            break
        }
        'tix;help;completions' {
            break
        }
        'tix;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
