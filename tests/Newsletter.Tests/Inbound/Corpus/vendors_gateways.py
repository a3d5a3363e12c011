# Corporate servers and gateways: Domino, MessageLabs, Mimecast, Barracuda, Proofpoint, McAfee, IMail, MDaemon,
# Kerio, Zimbra; and the sending services that relay bounces back: Mailgun, SendGrid.
from core import *
import vendors_mta as M

def corp(r):
    return ['corp.example.org', 'acme.example.net', 'fabrikam.example', 'northwind.example', 'mail.example.com', 'lab.example.net', 'uni.example.org'] if r != 'host-unknown' else DEAD

def opts_with(pool):
    return lambda r, p, sp: {'pool': pool, 'domains': corp(r)}

# ---------------------------------------------------------------------------------------------- Domino
DOMINO = {
    'user-unknown': ['User {a} ({a}) not listed in Domino Directory', 'User {local} not listed in public Name & Address Book'],
    'mailbox-disabled': ["Recipient's Domino Directory entry does not specify a valid Notes mail file"],
    'mailbox-full': ["Unable to deliver message; the recipient's mail file is over its size quota"],
    'expired': ['Delivery time expired'],
    'system': ['Maximum hop count exceeded.  Message probably in a routing loop.'],
    'host-unknown': ['Error transferring to {d}; Unable to find a mail exchanger (MX) for domain {d}: host not found'],
}
def domino(s):
    ctx, r = s.ctx, s.reason
    server = ctx.rnd.choice(['MAIL01', 'NOTES2', 'DOMSRV']) + '/' + ctx.rnd.choice(['ACME', 'CORP', 'NORTHWIND'])
    if r in DOMINO:
        why = ctx.rnd.choice(DOMINO[r]).replace('{a}', s.addr).replace('{local}', s.local).replace('{d}', s.domain)
        s.diag = ('', '', why)
    else:
        why = f'Error transferring to {s.mx}; SMTP Protocol Returned a Permanent Error {reply(s)}'
    host = 'notes.' + s.domain
    b = '=_mixed ' + ctx.hexid(8).upper() + 'C1258' + ctx.hexid(4).upper() + '_='
    out = s.top(host, ctx.ip('198.51.100.'), tls=False)
    out += f'Subject: DELIVERY FAILURE: {why.split(";")[0][:70]}\nFrom: Mail Router <postmaster@{s.domain}>\nTo: {s.to_header()}\nDate: {rfcdate(s.date)}\n'
    out += f'Message-ID: <OF{ctx.hexid(8).upper()}.{ctx.hexid(8).upper()}-ON{ctx.hexid(8).upper()}@{s.domain}>\nX-MIMETrack: Serialize by Router on {server}/{rfcdate(s.date)}\nMIME-Version: 1.0\n'
    mode = M.orig_mode(s, 'full')
    body = (f'Your message\n\n  Subject: {SUBJECT}\n\nwas not delivered to:\n\n  {s.addr}\n\nbecause:\n\n  {why}\n\n')
    if mode:
        out += f'Content-Type: multipart/mixed; boundary="{b}"\n\n--{b}\nContent-Type: text/plain; charset="US-ASCII"\n\n{body}\n--{b}\nContent-Type: message/rfc822\n\n' + s.original(mode) + f'\n--{b}--\n'
    else:
        out += f'Content-Type: text/plain; charset="US-ASCII"\n\n{body}'
    return out
domino.opts = opts_with(None)

# ---------------------------------------------------------------------------------------------- MessageLabs
MLABS = {
    'policy': [('553', '', 'SPF (Sender Policy Framework) domain authentication fail. Refer to the Troubleshooting page at http://www.symanteccloud.com/troubleshooting for more details. (#5.7.1)'),
               ('550', '', 'Message rejected: DMARC policy of verdicts.example.com is reject. Refer to http://www.symanteccloud.com/troubleshooting (#5.7.1)')],
    'content': [('550', '', 'Message contained unsolicited content. Refer to the Troubleshooting page at http://www.symanteccloud.com/troubleshooting for more details. (#5.7.1)')],
    'blocked': [('553', '', 'Sorry, your IP address {ip} is on the MessageLabs blocklist. Please see http://www.symanteccloud.com/troubleshooting (#5.7.1)')],
}
def messagelabs(s): return M.qmail(s, brand='messagelabs')
messagelabs.opts = opts_with(MLABS)

# ---------------------------------------------------------------------------------------------- Mimecast
MIMECAST = {
    'user-unknown': [('550', '', 'Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [{mc}]'), ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown')],
    'policy': [('550', '', 'Rejected by header based Anti-Spoofing policy: {a} - https://community.mimecast.com/docs/DOC-1369#550 [{mc}]'),
               ('550', '', 'Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550 [{mc}]')],
    'blocked': [('550', '', 'Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550 [{mc}]'),
                ('554', '', 'IP reputation - {ip} is blocked by Mimecast - https://community.mimecast.com/docs/DOC-1369#554 [{mc}]')],
    'content': [('554', '', 'Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554 [{mc}]')],
    'mailbox-full': [('552', '5.2.2', 'Mailbox full')],
    'system': [('451', '', 'Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [{mc}]')],
}
def mimecast(s):
    ctx, r = s.ctx, s.reason
    host = 'eu-smtp-%d.mimecast.com' % ctx.rnd.randrange(1, 4)
    out = s.top(host, '195.130.217.%d' % ctx.rnd.randrange(2, 250))
    if r == 'on-hold':
        out += f'From: Mimecast Postmaster <postmaster@{s.domain}>\nTo: {s.to_header()}\nSubject: Message on hold: {SUBJECT}\nDate: {rfcdate(s.date)}\nAuto-Submitted: auto-generated\n'
        out += f'Message-ID: <{ctx.mcid()}@{host}>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n'
        out += (f'Your message to {s.addr} has been placed on hold by {s.domain}\'s email security policy and is awaiting review by an administrator.\n\n'
                f'Subject: {SUBJECT}\nHeld reason: Content Examination - Bulk mail\n\nYou will be notified if the message is released or rejected.\n\n')
        if M.orig_mode(s, 'headers'): out += 'Original message headers:\n\n' + s.original('headers')
        return out
    cat = {'user-unknown': '5.1.0 - Unknown address error', 'mailbox-full': '5.2.2 - Mailbox full', 'system': '4.3.0 - Other mail system problem'}.get(r, '5.3.0 - Other mail system problem')
    if r == 'system': cat = '5.3.0 - Other mail system problem'
    out += f'From: Mimecast Postmaster <postmaster@{s.domain}>\nTo: {s.to_header()}\nSubject: Undeliverable: {SUBJECT}\nDate: {rfcdate(s.date)}\nAuto-Submitted: auto-replied\n'
    b = 'MCBoundary=_' + ctx.hexid(24)
    out += f'Message-ID: <{ctx.mcid()}@{host}>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="{b}"\n\n--{b}\nContent-Type: text/plain; charset=us-ascii\n\n'
    out += (f"Your message couldn't be delivered to the recipients shown below.\n\nThe following message to <{s.addr}> was undeliverable.\n"
            f"The reason for the problem:\n{cat} {s.diag[0]}-'{s.text}'\n\n")
    mode = M.orig_mode(s, 'full')
    if mode: out += f'--{b}\nContent-Type: message/rfc822\n\n' + s.original(mode)
    out += f'\n--{b}--\n'
    return out
mimecast.opts = opts_with(MIMECAST)

# ---------------------------------------------------------------------------------------------- Barracuda
BARRACUDA = {
    'user-unknown': [('550', '', 'No such user ({a})'), ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown in relay recipient table')],
    'blocked': [('554', '', 'Service unavailable; Client host [{ip}] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?pr=1&ip={ip}')],
    'content': [('550', '', 'permanent failure for one or more recipients ({a}:blocked)'), ('554', '', 'Rejecting message (ID: {mc}): Message content rejected by Barracuda spam filter')],
    'policy': [('550', '5.7.1', 'Sender verification failed: SPF hard fail for verdicts.example.com'), ('550', '', 'Message rejected: sender domain fails DMARC (p=reject) per Barracuda policy')],
    'mailbox-full': [('552', '5.2.2', 'Mailbox full')],
}
def barracuda(s):
    ctx, r = s.ctx, s.reason
    host = 'barracuda.' + s.domain
    out = s.top(host, ctx.ip('198.51.100.'))
    if r == 'on-hold':
        out += f'From: Barracuda Email Security <barracuda@{s.domain}>\nTo: {s.to_header()}\nSubject: Message quarantined: {SUBJECT}\nDate: {rfcdate(s.date)}\nAuto-Submitted: auto-generated\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n'
        out += (f'The message you sent to {s.addr} has been quarantined by the Barracuda Email Security Gateway at {s.domain}.\n'
                f'It will be delivered if the recipient or an administrator releases it.\n\nSubject: {SUBJECT}\nReason: Bulk Email\n\n')
        if M.orig_mode(s, 'headers'): out += '-- Message headers --\n' + s.original('headers')
        return out
    out += f'From: Mail Delivery System <MAILER-DAEMON@{host}>\nTo: {s.to_header()}\nSubject: Undelivered Mail Returned to Sender\nDate: {rfcdate(s.date)}\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n'
    out += f'X-Barracuda-Connect: {OURHOST}[{OURIP}]\nX-Barracuda-Start-Time: {int(s.date.timestamp())}\nX-Barracuda-BRTS-Status: 1\n'
    out += 'Content-Type: text/plain; charset=us-ascii\n\n'
    out += f'Your message to: {s.addr}\nwas undeliverable.\n\nThe following reason was given:\n{reply(s)}\n\n'
    if M.orig_mode(s, 'headers'): out += '------- Original message headers -------\n\n' + s.original('headers')
    return out
barracuda.opts = opts_with(BARRACUDA)

# ---------------------------------------------------------------------------------------------- Proofpoint
PROOFPOINT = {
    'blocked': [('554', '5.7.0', 'Blocked - see https://ipcheck.proofpoint.com/?ip={ip}')],
    'content': [('554', '5.7.1', 'Message blocked due to spam content in the message.'), ('550', '5.7.1', 'Message rejected: URL reputation (pp-url)')],
    'policy': [('550', '5.7.1', 'Message rejected: DMARC verification failed for verdicts.example.com (p=reject)'), ('554', '5.7.9', 'Message not accepted for policy reasons.')],
    'user-unknown': [('550', '5.1.1', 'User unknown'), ('550', '5.1.1', '<{a}>... User unknown')],
    'mailbox-full': [('452', '4.2.2', 'Mailbox full')],
}
def proofpoint(s):
    ctx = s.ctx
    if s.reason == 'on-hold':
        host = 'pps.' + s.domain
        out = s.top(host, '148.163.%d.%d' % (ctx.rnd.randrange(128, 159), ctx.rnd.randrange(2, 250)))
        out += f'From: Proofpoint Essentials <noreply@{s.domain}>\nTo: {s.to_header()}\nSubject: Message Quarantined: {SUBJECT}\nDate: {rfcdate(s.date)}\nAuto-Submitted: auto-generated\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n'
        out += f'Your message to {s.addr} was quarantined and is held for review.\nRule: Bulk Mail (bulk score 95)\nIt will be released or deleted by the recipient\'s administrator.\n\n'
        if M.orig_mode(s, 'headers'): out += s.original('headers')
        return out
    out = M.sendmail(s)
    pps = 'mx0%s-00%d.pphosted.com' % (ctx.rnd.choice('ab'), ctx.rnd.randrange(100000, 999999))
    for h in ('smtp.' + s.domain, 'mailhub.example.org', 'relay.example.net', 'mx2.example.com'):
        out = out.replace(h, pps)
    return out
proofpoint.opts = opts_with(PROOFPOINT)

# ---------------------------------------------------------------------------------------------- McAfee
def mcafee(s):
    ctx, r = s.ctx, s.reason
    host = 'mxlogic-%d.%s' % (ctx.rnd.randrange(1, 9), ctx.rnd.choice(['mcafee.example.net', 'mx.example.com']))
    if r == 'host-unknown':
        s.diag = ('550', '5.1.2', f'Host unknown: {s.domain}')
    st = s.status
    out = s.top(host, '208.65.144.%d' % ctx.rnd.randrange(2, 250))
    out += f'From: Mail Delivery System <mailer-daemon@{host}>\nTo: {s.to_header()}\nSubject: Delivery Status Notification (Failure)\nDate: {rfcdate(s.date)}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n'
    out += f'--- The following addresses had delivery problems ---\n\n<{s.addr}>   ({st} {s.text})\n\n--- Transcript of session follows ---\n'
    out += f'Connected to {s.mx} [{s.mxip}]\nRCPT TO:<{s.addr}>\n' + '\n'.join(reply_lines(*s.diag)) + '\n\n'
    if M.orig_mode(s, 'full'): out += '--- Original message follows ---\n\n' + s.original('full')
    return out
mcafee.opts = opts_with(None)

# ---------------------------------------------------------------------------------------------- IMail
def imail(s):
    ctx, r = s.ctx, s.reason
    host = 'imail.' + s.domain
    if r == 'user-unknown' and ctx.rnd.random() < 0.6:
        s.diag = ('', '', f'Unknown user: {s.addr}'); line = s.text
    elif r == 'host-unknown':
        s.diag = ('', '', f'Host unknown: {s.domain}'); line = s.text
    elif r == 'mailbox-full':
        s.diag = ('', '', f'user mailbox exceeds allowed size: {s.addr}'); line = s.text
    elif r == 'message-too-large':
        s.diag = ('', '', f'Requested action not taken: message size exceeds the limit for {s.addr}'); line = s.text
    else:
        line = f'Body of message generated response:\n{reply(s)}\n\nSMTP conversation with {s.mx} failed for {s.addr}'
    out = s.top(host, ctx.ip('198.51.100.'), tls=False)
    out += f'Date: {rfcdate(s.date)}\nFrom: Postmaster@{s.domain}\nTo: {s.to_header()}\nSubject: Undeliverable Mail\nMessage-ID: <IMAIL{ctx.hexid(12).upper()}@{s.domain}>\nX-Mailer: <IMail v12.5>\nMIME-Version: 1.0\nContent-Type: text/plain\n\n'
    out += line + '\n\n'
    if M.orig_mode(s, 'full'): out += 'Original message follows.\n\n' + s.original('full')
    return out
imail.opts = opts_with(None)

# ---------------------------------------------------------------------------------------------- MDaemon
def mdaemon(s):
    ctx, r = s.ctx, s.reason
    host = 'mail.' + s.domain
    out = s.top(host, ctx.ip('198.51.100.'))
    if r == 'host-unknown':
        trans = f' Attempting SMTP connection to [{s.domain}]\n Resolving MX records for [{s.domain}] (DNS Server: 127.0.0.1)...\n *** No MX or A records found for [{s.domain}] - domain does not exist (NXDOMAIN)'
        s.diag = ('', '5.1.2', 'No MX or A records found - domain does not exist')
    elif r == 'expired':
        trans = f' Attempting SMTP connection to [{s.mx} : 25]\n *** Error connecting to [{s.mx} : 25] (10060: connection timed out)\n *** Delivery attempts exhausted: message is 5 days old'
        s.diag = ('', '4.4.1', 'connection timed out; delivery attempts exhausted')
    else:
        trans = (f' Session Transcript:\n Attempting SMTP connection to [{s.mx} : 25]\n Connecting to {s.mxip}:25...\n Waiting for protocol initiation...\n'
                 f' 220 {s.mx} ESMTP\n EHLO {OURHOST}\n 250 {s.mx} Hello\n MAIL From:<{s.envelope_sender}> SIZE=48213\n 250 2.1.0 Ok\n RCPT To:<{s.addr}>\n'
                 + '\n'.join(' ' + l for l in reply_lines(*s.diag)))
    out += f'From: MDaemon@{host}\nTo: {s.to_header()}\nDate: {rfcdate(s.date)}\nSubject: Permanent Delivery Failure\nX-MDDSN-Message: Yes\nX-MDaemon-Deliver-To: {s.envelope_sender}\nAuto-Submitted: auto-replied\n'
    out += 'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n'
    out += ('The attached message had PERMANENT fatal delivery errors!\n\nAfter one or more unsuccessful delivery attempts the attached message has\n'
            'been removed from the mail queue on this server.  The number and frequency\nof delivery attempts are determined by local configuration parameters.\n\n'
            'YOUR MESSAGE WAS NOT DELIVERED TO ANY OF ITS RECIPIENTS!\n\n--- Session Transcript ---\n' + trans + '\n--- End Transcript ---\n\n')
    if M.orig_mode(s, 'full'): out += ': Message contains [1] file attachments\n\n' + s.original('full')
    return out
mdaemon.opts = opts_with(None)

# ---------------------------------------------------------------------------------------------- Kerio
def kerio(s):
    ctx, r = s.ctx, s.reason
    host = 'kerio.' + s.domain
    if r == 'host-unknown':
        s.diag = ('', '5.1.2', f'Unknown host or domain name: {s.domain}'); err = f'   Error Type: DNS\n   {s.text}'
    else:
        err = f'   Error Type: SMTP\n   Remote server ({s.mxip}) issued an error.\n   hop {s.mx}:25 replied\n   {reply(s)}'
    b = '------------' + ctx.alnum(24)
    out = s.top(host, ctx.ip('198.51.100.'))
    out += f'From: Mail Delivery Subsystem <postmaster@{s.domain}>\nTo: {s.to_header()}\nDate: {rfcdate(s.date)}\nSubject: Undelivered mail: {SUBJECT}\nAuto-Submitted: auto-replied\nX-Mailer: Kerio Connect 10.0.2\n'
    out += f'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="{b}"\n\n--{b}\nContent-Type: text/plain; charset=utf-8\n\n'
    out += (f'Your message did not reach some or all of the intended recipients.\n\n   Subject: {SUBJECT}\n   Sent: {rfcdate(SENT)}\n\n'
            f'The following recipient(s) could not be reached:\n\n{s.addr}\n{err}\n\n')
    out += f'--{b}\nContent-Type: message/delivery-status\n\n' + dsn_fields(s, host, remote=r != 'host-unknown', diag=(None if s.diag[0] else s.text), diag_type='smtp')
    if M.orig_mode(s, 'headers'): out += f'\n--{b}\nContent-Type: text/rfc822-headers\n\n' + s.original('headers')
    out += f'\n--{b}--\n'
    return out
kerio.opts = opts_with(None)

# ---------------------------------------------------------------------------------------------- Zimbra
ZIMBRA = {
    'mailbox-disabled': [('550', '5.1.1', '<{a}>: Recipient address rejected: account is closed'), ('550', '5.2.1', '<{a}>: account has been closed')],
    'mailbox-full': [('552', '5.2.2', '<{a}> Over quota'), ('452', '4.2.1', '<{a}>: mailbox in maintenance mode, temporarily suspended; try again later')],
    'user-unknown': [('550', '5.1.1', '<{a}>: Recipient address rejected: {d}'), ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown in virtual mailbox table')],
}
def zimbra(s):
    out = M.postfix(s)
    zhost = 'zimbra.' + s.domain
    out = out.replace(OURHOST, zhost).replace('mail.' + s.domain, zhost)
    if s.reason in ('mailbox-full', 'mailbox-disabled') and 'LMTP' not in out:
        out = out.replace(f'host {s.mx}[{s.mxip}] said:', 'host 127.0.0.1[127.0.0.1] said:')
    return out
zimbra.opts = opts_with(ZIMBRA)

SPECIFIC.update({'zquota': ('552', '5.2.2', '<{a}> Over quota'),
                 'zmaint': ('450', '4.2.1', '<{a}>: mailbox in maintenance mode, temporarily suspended; try again later')})

# ---------------------------------------------------------------------------------------------- Mailgun / SendGrid
SUPPRESSED = {'unknown': [('605', '', 'Not delivering to previously bounced address')]}
def mailgun(s):
    ctx = s.ctx
    host = 'm%d.mailgun.net' % ctx.rnd.randrange(10, 99) if ctx.rnd.random() < 0.5 else 'mxa.mailgun.org'
    if s.diag is None:
        s.diag = ('', '4.4.7', f'Too old: giving up after retrying for 8 hours (connect to {s.mx}:25: connection timed out)')
    b = ctx.hexid(32)
    out = s.top(host, '209.61.151.%d' % ctx.rnd.randrange(2, 250))
    out += f'From: Mail Delivery Subsystem <mailer-daemon@mailgun.net>\nTo: {s.to_header()}\nSubject: Delivery Status Notification (Failure)\nDate: {rfcdate(s.date)}\nAuto-Submitted: auto-replied\n'
    out += f'X-Mailgun-Sid: {base64.b64encode(ctx.hexid(24).encode()).decode()[:40]}\nX-Mailgun-Variables: {{"issue": "5"}}\nMessage-Id: <{ctx.hexid(24)}@mailgun.net>\nMIME-Version: 1.0\n'
    out += f'Content-Type: multipart/report; report-type=delivery-status; boundary="{b}"\n\n--{b}\nContent-Type: text/plain; charset="ascii"\n\n'
    if s.diag[0] == '605':
        out += f'Delivery to the following recipient was suppressed:\n\n    {s.addr}\n\nReason: {s.text}\n\n'
    else:
        out += f'Delivery to the following recipient failed permanently:\n\n    {s.addr}\n\nTechnical details of permanent failure:\n{reply(s)}\n\n'
    out += f'--{b}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; {host}\n\nFinal-Recipient: rfc822; {s.addr}\nAction: failed\nStatus: {s.status if s.diag[0] != "605" else "5.0.0"}\n'
    if s.diag[0] != '605': out += f'Remote-MTA: dns; {s.mx}\n'
    out += fold('Diagnostic-Code', 'smtp; ' + reply(s)) + '\n'
    if M.orig_mode(s, 'headers'): out += f'\n--{b}\nContent-Type: text/rfc822-headers\n\n' + s.original('headers')
    out += f'\n--{b}--\n'
    return out
def _pool(extra):
    p = dict(REPLIES); p.update(extra); return p
mailgun.opts = lambda r, p, sp: {'pool': _pool(SUPPRESSED)}

def sendgrid(s):
    ctx = s.ctx
    out = M.postfix(s)
    host = 'o%d.ptr%d.sendgrid.net' % (ctx.rnd.randrange(1, 9), ctx.rnd.randrange(1000, 9999))
    out = out.replace(OURHOST, host).replace('mail.' + s.domain, host)
    out = out.replace('Auto-Submitted: auto-replied\n', 'Auto-Submitted: auto-replied\nX-SG-EID: ' + base64.b64encode(ctx.hexid(30).encode()).decode()[:48] + '\n')
    return out
sendgrid.opts = lambda r, p, sp: {'pool': _pool({'unknown': [('550', '5.1.1', 'Bounced Address: {a} is on the suppression list of this account (previous bounce)')]})}

PLANS = {
    'domino': (domino, 'uu uu uu/quoted md mf ex sy hu ct'),
    'messagelabs': (messagelabs, 'uu uu uu/quoted po po ct bl mf'),
    'mimecast': (mimecast, 'uu uu uu/quoted po=mcspoof#header anti-spoofing: 5.3.0 wrapper, not the reader bl bl ct oh mf'),
    'barracuda': (barracuda, 'uu uu uu/quoted bl ct ct=bcblocked#(addr:blocked) is a content verdict po oh mf'),
    'proofpoint': (proofpoint, 'uu uu uu/quoted bl ct po po oh mf'),
    'mcafee': (mcafee, 'uu uu uu/quoted hu mf ct bl'),
    'imail': (imail, 'uu uu uu/quoted hu mf tl ct'),
    'mdaemon': (mdaemon, 'uu uu uu/quoted hu ex mf bl'),
    'kerio': (kerio, 'uu uu uu/quoted hu mf po ct'),
    'zimbra': (zimbra, 'uu uu uu/quoted md md mf=zquota#over quota mf=zmaint#maintenance mode: X.2.1 temporarily suspended ct'),
    'mailgun': (mailgun, 'uu uu uu/quoted mf bl po un#Mailgun suppression: previously bounced, not proof ex'),
    'sendgrid': (sendgrid, 'uu uu uu/quoted mf bl ct po un#SendGrid suppression list'),
}
