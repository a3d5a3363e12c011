# The open-source MTAs: Postfix, Exim, Sendmail, qmail, OpenSMTPD, Courier.
from core import *

def cmd_for(s):
    r = s.reason
    if r in ('content', 'message-too-large') or (r == 'policy' and any(k in s.text for k in ('DMARC', 'DKIM', 'RFC 5322', 'Message-ID', 'unauthenticated'))):
        return 'end of DATA'
    if r in ('blocked', 'rate-limited') and s.ctx.rnd.random() < 0.5:
        return 'connect'
    if r == 'policy' and 'Sender address' in s.text:
        return 'MAIL FROM'
    return 'RCPT TO'

def orig_mode(s, default='full'):
    if s.placement == 'env-noorig': return None
    if s.placement.startswith('quoted') and default is None: return 'headers'
    return default

# ---------------------------------------------------------------------------------------------- Postfix
def postfix(s):
    r, sp, ctx = s.reason, s.special, s.ctx
    reporter = OURHOST if s.ctx.rnd.random() < 0.6 else 'mail.' + s.domain if not s.domain.startswith(('gmail', 'outlook', 'hotmail')) else OURHOST
    local_side = reporter != OURHOST
    status, dtype, line = None, 'smtp', None
    action = 'failed'
    subject = 'Undelivered Mail Returned to Sender'
    if sp == 'delayed':
        subject, action = 'Delayed Mail (still being retried)', 'delayed'
        d = ctx.cycle('pf-delay', TEMPORARY_LAST + [('', '4.4.1', 'connect to {mx}[{mxip}]:25: Connection timed out')])
        if d[0]:
            s.diag = (d[0], d[1], fill(d[2], s)); status = d[1]
            line = f'<{s.addr}>: host {s.mx}[{s.mxip}] said: {reply(s)} (in reply to RCPT TO command)'
        else:
            status, dtype = d[1], 'X-Postfix'
            line = f'<{s.addr}>: connect to {s.mx}[{s.mxip}]:25: Connection timed out'
            s.diag = ('', status, f'connect to {s.mx}[{s.mxip}]:25: Connection timed out')
            s.diag = ('', status, s.diag[2])
    elif sp in ('delivered', 'relayed'):
        subject, action = 'Successful Mail Delivery Report', sp
        status, dtype = '2.0.0', 'smtp'
        s.diag = ('250', '2.0.0', 'Ok: queued as ' + ctx.alnum(10)) if sp == 'relayed' else ('250', '2.0.0', 'Ok')
        line = (f'<{s.addr}>: delivery via {s.mx}[{s.mxip}]:25: {reply(s)}' if sp == 'relayed'
                else f'<{s.addr}>: delivered to mailbox')
    elif r == 'host-unknown':
        status, dtype = '5.4.4', 'X-Postfix'
        t = ctx.rnd.choice([f'Host or domain name not found. Name service error for name={s.domain} type=MX: Host not found',
                            f'Host or domain name not found. Name service error for name={s.domain} type=AAAA: Host not found'])
        s.diag = ('', status, t); line = f'<{s.addr}>: {t}'; local_side = False; reporter = OURHOST
    elif r == 'expired':
        if ctx.rnd.random() < 0.5:
            t = ctx.rnd.choice([f'connect to {s.mx}[{s.mxip}]:25: Connection timed out', f'connect to {s.mx}[{s.mxip}]:25: Connection refused',
                                f'delivery temporarily suspended: connect to {s.mx}[{s.mxip}]:25: Connection timed out',
                                f'lost connection with {s.mx}[{s.mxip}] while receiving the initial server greeting'])
            status, dtype = ctx.rnd.choice(['4.4.1', '4.4.2']) if 'lost' not in t else '4.4.2', 'X-Postfix'
            s.diag = ('', status, t); line = f'<{s.addr}>: {t}'
        else:
            d = ctx.cycle('pf-exp', TEMPORARY_LAST); s.diag = (d[0], d[1], fill(d[2], s)); status = d[1]
            line = f'<{s.addr}>: host {s.mx}[{s.mxip}] said: {reply(s)} (in reply to RCPT TO command)'
        reporter, local_side = OURHOST, False
    elif local_side and not getattr(s, 'fixed', False) and r in ('user-unknown', 'mailbox-full', 'system') and ctx.rnd.random() < 0.6:
        dtype = 'X-Postfix'
        if r == 'user-unknown':
            status, t = '5.1.1', f'unknown user: "{s.local}"'
        elif r == 'mailbox-full':
            status, t = '5.2.2', ctx.rnd.choice([f'cannot update mailbox /var/mail/{s.local} for user {s.local}. error writing message: File too large',
                                                 "maildir delivery failed: Sorry, the user's maildir has overdrawn his diskspace quota, please try again later.",
                                                 f'host 127.0.0.1[127.0.0.1] said: 552 5.2.2 <{s.addr}> Mailbox is full / Blocks limit exceeded / Inode limit exceeded (in reply to end of DATA command)'])
        else:
            status, t = '5.4.6', ctx.rnd.choice([f'mail for {s.domain} loops back to myself', f'mail forwarding loop for {s.addr}'])
        s.diag = ('', status, t); line = f'<{s.addr}>: {t}'
    else:
        c = cmd_for(s)
        if c == 'connect':
            line = f'<{s.addr}>: host {s.mx}[{s.mxip}] refused to talk to me: {reply(s)}'
        else:
            line = f'<{s.addr}>: host {s.mx}[{s.mxip}] said: {reply(s)} (in reply to {c} command)'
    if local_side and r not in ('host-unknown',):
        host, ip = reporter, s.mxip
    else:
        host, ip = OURHOST, OURIP
    german = sp == 'german'
    boundary = f'{s.qid}.{int(s.date.timestamp())}/{host}'
    mode = orig_mode(s, ctx.rnd.choice(['full', 'full', 'headers']))
    if sp == 'delayed' and mode: mode = 'headers'
    if sp in ('delivered', 'relayed') and mode: mode = 'headers'
    out = s.top(host, ip)
    out += f"Date: {rfcdate(s.date)}\nFrom: MAILER-DAEMON@{host} (Mail Delivery System)\nSubject: {enc('Unzustellbare Nachricht' if german else subject)}\nTo: {s.to_header()}\n"
    if sp != 'no-autosubmitted': out += 'Auto-Submitted: auto-replied\n'
    declared = boundary if sp != 'damaged-boundary' else boundary.replace(s.qid, s.qid[::-1])
    out += f'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary="{declared}"\nContent-Transfer-Encoding: 8bit\nMessage-Id: <{s.date.strftime("%Y%m%d%H%M%S")}.{s.qid}@{host}>\n\n'
    out += f'This is a MIME-encapsulated message.\n\n--{boundary}\nContent-Description: Notification\nContent-Type: text/plain; charset={"utf-8" if german else "us-ascii"}\n'
    if german: out += 'Content-Transfer-Encoding: 8bit\n'
    out += '\n'
    if german:
        out += f'Dies ist das Mailsystem auf dem Rechner {host}.\n\nLeider konnte Ihre Nachricht nicht an einen oder mehrere Empfänger\nzugestellt werden. Sie ist unten angehängt.\n\n                   Das Mailsystem\n\n'
    else:
        out += f'This is the mail system at host {host}.\n\n'
        if action == 'delayed':
            out += ('####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n'
                    '####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n                   The mail system\n\n')
        elif action in ('delivered', 'relayed'):
            out += ('Your message was successfully delivered to the destination(s)\nlisted below. If the message was delivered to mailbox you will\n'
                    'receive no further notifications. Otherwise you may still receive\nnotifications of mail delivery errors from other systems.\n\n                   The mail system\n\n')
        else:
            out += ("I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n"
                    'For further assistance, please send mail to postmaster.\n\nIf you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n                   The mail system\n\n')
    out += wrap(line, 76, '    ') + '\n\n'
    out += f'--{boundary}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n'
    if sp != 'no-blank': out += '\n'
    xs = f'X-Postfix-Queue-ID: {s.qid}\nX-Postfix-Sender: rfc822; {s.envelope_sender}\n'
    out += dsn_fields(s, host, action=action, status=status, diag_type=dtype, diag=(s.text if dtype == 'X-Postfix' else None),
                      remote=dtype != 'X-Postfix', extra_msg=xs,
                      extra_rcpt=('Will-Retry-Until: ' + rfcdate(SENT + datetime.timedelta(days=5)) + '\n') if action == 'delayed' else '')
    if mode:
        ct = 'message/rfc822' if mode == 'full' else 'text/rfc822-headers'
        desc = 'Undelivered Message' if mode == 'full' else 'Undelivered Message Headers'
        if action in ('delivered', 'relayed'): desc = 'Message Headers'
        out += f'\n--{boundary}\nContent-Description: {desc}\nContent-Type: {ct}\nContent-Transfer-Encoding: 8bit\n\n' + s.original(mode)
    out += f'\n--{boundary}--\n'
    return out

# ---------------------------------------------------------------------------------------------- Exim
def exim_where(s):
    c = cmd_for(s)
    return {'end of DATA': 'after end of data', 'connect': 'after initial connection', 'MAIL FROM': f'after MAIL FROM:<{s.envelope_sender}> SIZE=48213',
            'RCPT TO': f'after RCPT TO:<{s.addr}>'}[c]

def exim_reason_block(s):
    r, ctx = s.reason, s.ctx
    if s.special == 'delayed':
        d = ctx.cycle('ex-delay', TEMPORARY_LAST); s.diag = (d[0], d[1], fill(d[2], s))
        return f'  {s.addr}\n    host {s.mx} [{s.mxip}]\n    Delay reason: SMTP error from remote mail server after RCPT TO:<{s.addr}>:\n    {reply(s)}'
    if r == 'host-unknown':
        t = ctx.rnd.choice(['Unrouteable address', 'all relevant MX records point to non-existent hosts', f'host lookup did not complete'])
        if t.startswith('host lookup'): t = 'Unrouteable address'
        s.diag = ('', '5.0.0', t)
        return f'  {s.addr}\n    {t}'
    if r == 'expired':
        t = ctx.rnd.choice([f'retry timeout exceeded', f"all hosts for '{s.domain}' have been failing for a long time (and retry time not reached)",
                            f'host {s.mx} [{s.mxip}]: Connection timed out: retry timeout exceeded'])
        s.diag = ('', '4.0.0', t)
        return f'  {s.addr}\n    {t}'
    if r == 'mailbox-full' and ctx.rnd.random() < 0.4:
        t = f'mailbox is full (MTA-imposed quota exceeded while writing to file /var/mail/{s.local}): retry timeout exceeded'
        s.diag = ('', '5.2.2', t)
        return f'  {s.addr}\n    {t}'
    w = exim_where(s)
    body = '\n    '.join(reply_lines(*s.diag))
    return f'  {s.addr}\n    host {s.mx} [{s.mxip}]\n    SMTP error from remote mail server {w}:\n    {body}'

def exim(s):
    ctx, sp = s.ctx, s.special
    host = ctx.rnd.choice(['relay.example.com', 'mx.' + s.domain if s.family == 'generic' else 'relay.example.net', 'mail.' + s.domain if s.family == 'generic' else 'smarthost.example.org'])
    if s.reason in ('host-unknown', 'expired') or sp == 'delayed': host = OURHOST if ctx.rnd.random() < 0.5 else host
    eid = '1u' + ctx.alnum(4) + '-' + ctx.alnum(6).lower() + '-' + ctx.alnum(2)
    block = exim_reason_block(s)
    dsn = sp == 'dsn' or (sp is None and ctx.rnd.random() < 0.35)
    version = ctx.rnd.choice(['4.96', '4.97', '4.98', '4.94.2'])
    out = s.top(host, ctx.ip('198.51.100.'), return_path='<>').replace('Return-Path: <>', 'Return-path: <>')
    out += f'Received: from mail by {host} with local (Exim {version})\n\tid {eid}\n\tfor {s.envelope_sender if s.placement != "foreign" else PLAIN}; {rfcdate(s.date)}\n'
    if sp != 'delayed':
        out += f'X-Failed-Recipients: {s.addr}\n'
    out += f'Auto-Submitted: auto-replied\nFrom: Mail Delivery System <Mailer-Daemon@{host}>\nTo: {s.to_header()}\n'
    if s.placement not in ('foreign',) and ctx.rnd.random() < 0.5:
        out += f'References: <issue-{ISSUE}.subscriber-{s.sub}@{DOMAIN}>\n'
    if sp == 'delayed':
        subject = f'Warning: message {eid} delayed 24 hours'
        intro = (f'This message was created automatically by mail delivery software.\nA message that you sent has not yet been delivered to one or more of its\n'
                 f'recipients after more than 24 hours on the queue on {host}.\n\nThe message identifier is:     {eid}\nThe subject of the message is: {SUBJECT}\n'
                 f'The date of the message is:    {rfcdate(SENT)}\n\nThe address to which the message has not yet been delivered is:\n\n')
        tail = '\nNo action is required on your part. Delivery attempts will continue for\nsome time, and this warning may be repeated at intervals if the message\nremains undelivered. Eventually the mail delivery software will give up,\nand when that happens, the message will be returned to you.\n'
    else:
        subject = 'Mail delivery failed: returning message to sender'
        intro = ('This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\n'
                 'recipients. This is a permanent error. The following address(es) failed:\n\n')
        tail = ''
    mode = orig_mode(s, ctx.rnd.choice(['full', 'full', 'headers']))
    if dsn or sp == 'delayed':
        b = f'{int(s.date.timestamp())}-eximdsn-{ctx.randrange(10**9, 10**10) if hasattr(ctx, "randrange") else ctx.rnd.randrange(10**9, 10**10)}'
        out += f'Content-Type: multipart/report; report-type=delivery-status; boundary={b}\nMIME-Version: 1.0\nSubject: {subject}\nMessage-Id: <E{eid}@{host}>\nDate: {rfcdate(s.date)}\n\n'
        out += f'--{b}\nContent-type: text/plain; charset=us-ascii\n\n{intro}{block}\n{tail}\n'
        act = 'delayed' if sp == 'delayed' else 'failed'
        st = s.status if s.diag[1].count('.') == 2 else ('5.0.0' if act == 'failed' else '4.0.0')
        out += f'--{b}\nContent-type: message/delivery-status\n\nReporting-MTA: dns; {host}\n\nAction: {act}\nFinal-Recipient: rfc822;{s.addr}\nStatus: {st}\n'
        if s.diag[0]:
            out += f'Remote-MTA: dns; {s.mx}\nX-Remote-MTA-smtp-greeting: X-str; 220 {s.mx} ESMTP\n' + fold('Diagnostic-Code', 'smtp; ' + reply(s)) + '\n'
        if mode:
            ct = 'message/rfc822' if mode == 'full' else 'text/rfc822-headers'
            out += f'\n--{b}\nContent-type: {ct}\n\n' + s.original(mode)
        out += f'\n--{b}--\n'
    else:
        out += f'Content-Type: text/plain; charset=us-ascii\nSubject: {subject}\nMessage-Id: <E{eid}@{host}>\nDate: {rfcdate(s.date)}\n\n{intro}{block}\n'
        if mode:
            out += ('\n------ This is a copy of the message, including all the headers. ------\n\n' if mode == 'full' else
                    '\n------ This is a copy of the message\'s headers. ------\n\n') + s.original(mode)
    return out

# ---------------------------------------------------------------------------------------------- Sendmail
def sendmail(s):
    ctx, sp, r = s.ctx, s.special, s.reason
    host = ctx.rnd.choice(['smtp.' + s.domain if s.family == 'generic' else 'mailhub.example.org', 'relay.example.net', 'mx2.example.com'])
    qid = ctx.alnum(6) + '0' + ctx.alnum(7)
    status = s.status if s.diag and s.diag[1].count('.') == 2 else None
    transcript, reasonline = None, None
    subject = 'Returned mail: see transcript for details'
    if sp == 'delayed':
        d = ctx.cycle('sm-delay', TEMPORARY_LAST); s.diag = (d[0], d[1], fill(d[2], s)); status = d[1]
        subject = 'Warning: could not send message for past 4 hours'
    if r == 'host-unknown':
        s.diag = ('550', '5.1.2', f'<{s.addr}>... Host unknown (Name server: {s.domain}: host not found)'); status = '5.1.2'
        subject = 'Returned mail: see transcript for details'
        reasonline = f'550 5.1.2 <{s.addr}>... Host unknown (Name server: {s.domain}: host not found)'
    elif r == 'expired':
        d = ctx.cycle('sm-exp', TEMPORARY_LAST + [('', '4.4.7', 'Deferred: Connection timed out with {mx}.'), ('', '4.4.7', 'Deferred: Connection refused by {mx}.')])
        s.diag = (d[0], d[1], fill(d[2].replace('{mx}', s.mx), s)); status = '4.4.7'
        subject = ctx.rnd.choice(['Returned mail: Cannot send message for 5 days', 'Returned mail: see transcript for details'])
    plain = sp == 'plain' or (sp is None and ctx.rnd.random() < 0.45)
    rep = reply(s) if s.diag[0] else s.text
    if reasonline is None:
        reasonline = rep
    lines = reply_lines(*s.diag) if s.diag[0] else [s.text]
    if r == 'expired':
        trans = f'... Deferred: {s.text}\nMessage could not be delivered for 5 days\nMessage will be deleted from queue\n'
    elif sp == 'delayed':
        trans = f'... while talking to {s.mx}.:\n>>> RCPT To:<{s.addr}>\n<<< {rep}\n<{s.addr}>... Deferred: {rep}\nWarning: message still undelivered after 4 hours\nWill keep trying until message is 5 days old\n'
    elif r == 'host-unknown':
        trans = f'550 5.1.2 <{s.addr}>... Host unknown (Name server: {s.domain}: host not found)\n'
    else:
        stage = {'end of DATA': '>>> DATA\n<<< 354 Enter mail, end with "." on a line by itself\n>>> .', 'connect': '<<< ' + lines[0] if False else '>>> MAIL From:<%s> SIZE=48213' % s.envelope_sender}.get(cmd_for(s), f'>>> DATA')
        got = '\n'.join('<<< ' + l for l in lines)
        trans = f'... while talking to {s.mx}.:\n{stage}\n{got}\n{lines[-1] if s.diag[0] else ""}\n'
        if stage == '>>> DATA': trans += '<<< 503 5.0.0 Need RCPT (recipient)\n'
    heading = ('   ----- The following addresses had transient non-fatal errors -----' if sp == 'delayed'
               else '   ----- The following addresses had permanent fatal errors -----')
    body = (f'The original message was received at {rfcdate(SENT)}\nfrom {OURHOST} [{OURIP}]\n\n' + heading + f'\n<{s.addr}>\n'
            + wrap(f'    (reason: {reasonline})', 74, '    ') + '\n\n   ----- Transcript of session follows -----\n' + trans)
    if sp == 'delayed':
        body = ('**********************************************\n**      THIS IS A WARNING MESSAGE ONLY      **\n**  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n'
                '**********************************************\n\n') + body
    out = s.top(host, ctx.ip('198.51.100.'))
    out += f'Received: from localhost (localhost)\n\tby {host} (8.{ctx.rnd.choice(["15.2", "16.1", "17.1", "14.7"])}/8.15.2) id {qid};\n\t{rfcdate(s.date)}\n'
    out += f'Date: {rfcdate(s.date)}\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@{host}>\nMessage-Id: <{s.date.strftime("%Y%m%d%H%M")}.{qid}@{host}>\nTo: <{s.to_header() if "<" not in s.to_header() else PLAIN}>\n'
    out += 'MIME-Version: 1.0\n'
    mode = orig_mode(s, ctx.rnd.choice(['full', 'headers']))
    if plain and sp != 'delayed':
        # Old sendmail (and many appliances built on it): no report part, the original after a marker.
        out += f'Subject: {subject}\nAuto-Submitted: auto-generated (failure)\nContent-Type: text/plain\n\n{body}\n'
        if mode:
            out += '\n   ----- Original message follows -----\n\n' + s.original(mode)
        return out
    b = f'{qid}.{int(s.date.timestamp())}/{host}'
    act = 'delayed' if sp == 'delayed' else 'failed'
    out += f'Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="{b}"\nSubject: {subject}\nAuto-Submitted: auto-generated (failure)\n\n'
    out += f'This is a MIME-encapsulated message\n\n--{b}\n\n{body}\n--{b}\nContent-Type: message/delivery-status\n\n'
    out += f'Reporting-MTA: dns; {host}\nReceived-From-MTA: DNS; {OURHOST}\nArrival-Date: {rfcdate(SENT)}\n\nFinal-Recipient: RFC822; {s.addr}\nAction: {act}\nStatus: {status or s.status}\n'
    if r != 'host-unknown' and r != 'expired':
        out += f'Remote-MTA: DNS; {s.mx}\n'
    out += fold('Diagnostic-Code', 'SMTP; ' + rep) + '\n' if s.diag[0] else ''
    out += f'Last-Attempt-Date: {rfcdate(s.date)}\n'
    if sp == 'delayed': out += f'Will-Retry-Until: {rfcdate(SENT + datetime.timedelta(days=5))}\n'
    if mode:
        ct = 'message/rfc822' if mode == 'full' else 'text/rfc822-headers'
        out += f'\n--{b}\nContent-Type: {ct}\n\n' + s.original(mode)
    out += f'\n--{b}--\n'
    return out

# ---------------------------------------------------------------------------------------------- qmail
QMAIL_LOCAL = {
    'user-unknown': 'Sorry, no mailbox here by that name. (#5.1.1)',
    'mailbox-full': ["The users mailbox is over the allowed quota (size). (#5.2.2)", 'user is over quota', 'Sorry, the user\'s mailbox is full. (#5.2.2)'],
    'mailbox-disabled': 'Sorry, this account has been deactivated. (#5.2.1)',
    'host-unknown': 'Sorry, I couldn\'t find any host named {d}. (#5.1.2)',
    'message-too-large': 'Sorry, I couldn\'t deliver this message: message too large for this mailbox (#5.3.4)',
    'system': "Sorry. Although I'm listed as a best-preference MX or A for that host,\nit isn't in my control/locals file, so I don't treat it as local. (#5.4.6)",
}

def qmail(s, brand=None):
    ctx, r = s.ctx, s.reason
    host = brand or ctx.rnd.choice(['mail.' + s.domain if s.family == 'generic' else 'mx.example.net', 'qmail.example.org', 'smtp.example.com'])
    remote = r not in QMAIL_LOCAL or (r in ('user-unknown', 'mailbox-full') and ctx.rnd.random() < 0.4)
    if r == 'expired':
        t = ctx.rnd.choice(["Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", f'{s.mxip} failed after I sent the message.\nRemote host said: 451 4.3.0 Temporary failure',
                            "Connected to {ip} but connection died. (#4.4.2)".replace('{ip}', s.mxip)])
        s.diag = ('', '4.4.1', t)
        block = f"<{s.addr}>:\n{t}\nI'm not going to try again; this message has been in the queue too long.\n"
    elif remote:
        c = cmd_for(s)
        rep = reply(s)
        if c == 'end of DATA':
            block = f'<{s.addr}>:\n{s.mxip} failed after I sent the message.\nRemote host said: {rep}\n'
        elif c == 'connect':
            block = f'<{s.addr}>:\nConnected to {s.mxip} but greeting failed.\nRemote host said: {rep}\n'
        else:
            block = f'<{s.addr}>:\n{s.mxip} does not like recipient.\nRemote host said: {rep}\nGiving up on {s.mxip}.\n'
    else:
        t = QMAIL_LOCAL[r]
        if isinstance(t, list): t = ctx.rnd.choice(t)
        t = t.replace('{d}', s.domain)
        s.diag = ('', '', t)
        block = f'<{s.addr}>:\n{t}\n'
    brandline = (f'Hi. This is the qmail-send program at {host}.\nI\'m afraid I wasn\'t able to deliver your message to the following addresses.\n'
                 "This is a permanent error; I've given up. Sorry it didn't work out.\n")
    if brand == 'messagelabs':
        host = 'server-%d.tower-%d.messagelabs.com' % (ctx.rnd.randrange(2, 30), ctx.rnd.randrange(400, 700))
        brandline = ('This is the mail delivery agent at messagelabs.com.\nI was not able to deliver your message to the following addresses.\n')
    out = s.top(host, ctx.ip('198.51.100.'))
    qn = ctx.rnd.randrange(1000, 99999)
    out += f'Received: (qmail {qn} invoked for bounce); {rfcdate(s.date)}\nDate: {rfcdate(s.date)}\nFrom: MAILER-DAEMON@{host}\nTo: {s.to_header()}\n'
    out += f'Subject: {"Mail Delivery Failure" if brand == "messagelabs" else "failure notice"}\n'
    if brand == 'messagelabs': out += 'X-Msg-Ref: server-%d.tower-%d.messagelabs.com!%d!%d!1\n' % (ctx.rnd.randrange(2, 30), ctx.rnd.randrange(400, 700), int(s.date.timestamp()), qn)
    out += '\n' + brandline + '\n' + block + '\n'
    mode = orig_mode(s, 'full')
    if mode:
        out += '--- Below this line is a copy of the message.\n\n' + s.original(mode)
    return out

# ---------------------------------------------------------------------------------------------- OpenSMTPD
def opensmtpd(s):
    ctx, sp = s.ctx, s.special
    host = ctx.rnd.choice(['mail.' + s.domain if s.family == 'generic' else 'smtpd.example.org', 'mx.example.net', 'relay.example.org'])
    if s.reason == 'host-unknown':
        s.diag = ('550', '', 'Invalid recipient: Domain does not exist' if ctx.rnd.random() < 0.5 else f'No MX found for domain')
        line = f'{s.addr}: {s.text}'
    elif s.reason == 'expired':
        s.diag = ('', '4.4.1', ctx.rnd.choice(['Network error on destination MXs', f'Connection timed out on {s.mx}', 'Envelope expired']))
        line = f'{s.addr}: {s.text}'
    elif sp == 'delayed':
        d = ctx.cycle('os-delay', TEMPORARY_LAST); s.diag = (d[0], d[1], fill(d[2], s)); line = f'{s.addr}: {reply(s)}'
    else:
        line = f'{s.addr}: {reply(s)}'
    old = ctx.rnd.random() < 0.5
    mode = orig_mode(s, 'full')
    out = s.top(host, ctx.ip('198.51.100.'))
    kind = 'delay' if sp == 'delayed' else 'error'
    out += f'Received: from {host} (localhost) by {host} (OpenSMTPD) with ESMTPSA id {ctx.hexid(8)}\n\t{rfcdate(s.date)}\n'
    out += f'Date: {rfcdate(s.date)}\nFrom: Mailer Daemon <MAILER-DAEMON@{host}>\nTo: {s.to_header()}\n'
    out += f'Subject: Delivery status notification: {kind}\nMessage-ID: <{ctx.hexid(16)}@{host}>\nMIME-Version: 1.0\n'
    if old:
        out += 'Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n'
        out += 'Hi!\n\nThis is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.\n\n'
        if kind == 'delay':
            out += 'An error has occurred while attempting to deliver a message for\nthe following list of recipients:\n\n' + line + '\n\nThe message is still in queue and delivery will be retried.\n\n'
        else:
            out += 'An error has occurred while attempting to deliver a message for\nthe following list of recipients:\n\n' + line + '\n\n'
        if mode: out += 'Below is a copy of the original message:\n\n' + s.original(mode)
        return out
    b = f'{ctx.hexid(16)}/{host}'
    out += f'Content-Type: multipart/mixed; boundary="{b}"\n\nThis is a MIME-encapsulated message.\n\n--{b}\nContent-Description: Notification\nContent-Type: text/plain; charset=utf-8\n\n'
    out += ('Hi!\n\n    This is the MAILER-DAEMON, please DO NOT REPLY to this email.\n\n    An error has occurred while attempting to deliver a message for\n'
            '    the following list of recipients:\n\n') + line + '\n\n'
    if s.diag and s.diag[0]:
        out += 'Error is: ' + reply(s) + '\n\n'
    if mode:
        out += f'--{b}\nContent-Description: Message headers\nContent-Type: text/rfc822-headers\n\n' + s.original('headers')
    out += f'\n--{b}--\n'
    return out

# ---------------------------------------------------------------------------------------------- Courier
def courier(s):
    ctx = s.ctx
    host = ctx.rnd.choice(['mail.' + s.domain if s.family == 'generic' else 'courier.example.org', 'mx.example.net'])
    b = '=_courier-%d-%d-%s' % (ctx.rnd.randrange(1000, 99999), ctx.rnd.randrange(1000, 99999), ctx.hexid(8))
    if s.reason == 'host-unknown':
        s.diag = ('550', '5.1.2', f'{s.domain}: No such domain.')
        detail = f'<{s.addr}>:\n    {reply(s)}'
    elif s.reason == 'expired':
        s.diag = ('', '4.4.1', 'Message delivery failed: queue lifetime exceeded. Connection timed out.')
        detail = f'<{s.addr}>:\n    {s.mx} [{s.mxip}]:\n    Connection timed out.\n    Message delivery failed: queue lifetime exceeded.'
    else:
        c = cmd_for(s)
        sent = {'end of DATA': '>>> DATA\n<<< 354 go ahead\n>>> [message body]', 'connect': '<<< (connection)', 'MAIL FROM': f'>>> MAIL FROM:<{s.envelope_sender}>'}.get(c, f'>>> RCPT TO:<{s.addr}>')
        detail = f'<{s.addr}>:\n    {s.mx} [{s.mxip}]:\n{sent}\n' + '\n'.join('<<< ' + l for l in reply_lines(*s.diag))
    mode = orig_mode(s, 'headers')
    out = s.top(host, ctx.ip('198.51.100.'))
    out += f'From: "Courier mail server at {host}" <@>\nTo: {s.to_header()}\nSubject: NOTICE: mail delivery status.\nMime-Version: 1.0\n'
    out += f'Content-Type: multipart/report; report-type=delivery-status;\n    boundary="{b}"\nContent-Transfer-Encoding: 7bit\nDate: {rfcdate(s.date)}\nMessage-ID: <courier.{ctx.hexid(16)}@{host}>\n\n'
    out += 'This is a MIME-formatted message.  If you see this text it means that your\nmail software cannot handle MIME-formatted messages.\n\n'
    out += f'--{b}\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n'
    out += f'This is a delivery status notification from {host},\nrunning the Courier mail server, version 1.1.8.\n\n'
    out += f'The original message was received on {rfcdate(SENT)}\nfrom {OURHOST} ({OURHOST} [{OURIP}])\n\n'
    bar = '-' * 74
    out += f'{bar}\n                           UNDELIVERABLE MAIL\n{bar}\n\nYour message to the following recipients cannot be delivered:\n\n{detail}\n\n{bar}\n\n'
    out += 'If your message was also sent to additional recipients, their delivery\nstatus is not included in this report.  You may or may not receive\nother delivery status notifications for additional recipients.\n\n'
    out += f'--{b}\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: 7bit\n\n'
    out += f'Reporting-MTA: dns; {host}\nArrival-Date: {rfcdate(SENT)}\nReceived-From-MTA: dns; {OURHOST} ([{OURIP}])\n\n'
    out += f'Final-Recipient: rfc822; {s.addr}\nAction: failed\nStatus: {s.status}\n'
    if s.diag[0]: out += f'Remote-MTA: dns; {s.mx} ([{s.mxip}])\n' + fold('Diagnostic-Code', 'smtp; ' + reply(s)) + '\n'
    if mode:
        out += f'\n--{b}\nContent-Type: text/rfc822-headers; charset=iso-8859-1\nContent-Transfer-Encoding: 7bit\n\n' + s.original('headers')
    out += f'\n--{b}--\n'
    return out
