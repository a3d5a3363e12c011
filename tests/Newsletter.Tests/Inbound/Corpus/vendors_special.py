# What else reaches the bounce mailbox: ARF feedback reports (RFC 5965, 6430, 6591), Outlook.com/Hotmail
# complaints forwarded as multipart/mixed (JMRP), auto-replies, and mail to the unsubscribe address.
from core import *

FBL = [('Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.com>', 'Yahoo!-Mail-Feedback/2.0', 'yahoo.com'),
       ('AOL Feedback Loop <scomp@aol.net>', 'AOL SComp', 'aol.com'),
       ('Mail.Ru Feedback Loop <fbl@corp.mail.ru>', 'Mail.Ru FBL/1.0', 'mail.ru'),
       ('Comcast Feedback Loop <feedbackloop@comcastfbl.example.net>', 'ReturnPathFBL/2.0', 'comcast.example.net'),
       ('Fastmail Abuse <abuse-reports@fbl.example.org>', 'Fastmail-FBL/1.1', 'fastmail.example.org'),
       ('Zoho Feedback <fbl@zohomail.com>', 'ZohoMail-FBL/1.0', 'zohomail.com')]

def arf(s):
    ctx, ft = s.ctx, s.special
    if ft in ('abuse', 'fraud', 'virus'): s.reason, s.consequence = 'complaint', 'complaint'
    elif ft == 'not-spam': s.reason, s.consequence = 'none', 'ignore'
    elif ft == 'auth-failure': s.reason, s.consequence = 'policy', 'setup'
    else: s.reason, s.consequence = 'unknown', 'review'
    if s.placement == 'forged': s.consequence = 'review'
    s.diag = None
    frm, ua, dom = ctx.rnd.choice(FBL)
    host = frm.split('@')[1].rstrip('>')
    b = '----=_Part_%d_%d.%d' % (ctx.rnd.randrange(10**5, 10**6), ctx.rnd.randrange(10**8, 10**9), int(s.date.timestamp() * 1000))
    when = s.date + datetime.timedelta(hours=ctx.rnd.randrange(1, 30))
    human = {'abuse': f'This is an email abuse report for an email message received from IP {OURIP} on {rfcdate(SENT)}.',
             'fraud': f'This is a fraud report for an email message received from IP {OURIP} on {rfcdate(SENT)}: the user reported it as phishing.',
             'virus': f'This is a report of a message received from IP {OURIP} that our scanner found to carry malware.',
             'not-spam': f'This is a report that a user marked the message received from IP {OURIP} as not spam.',
             'auth-failure': f'This is an authentication failure report for an email message received from IP {OURIP} on {rfcdate(SENT)}.',
             'other': f'This is a report about a message received from IP {OURIP} on {rfcdate(SENT)}.'}[ft]
    out = s.top(host, ctx.ip('198.51.100.'), return_path='<' + frm.split('<')[1])
    out += f'From: {frm}\nTo: {s.to_header() if s.placement != "quoted" else PLAIN}\nSubject: {"FW: " + SUBJECT if ft != "auth-failure" else "Authentication failure report for verdicts.example.com"}\nDate: {rfcdate(when)}\n'
    out += f'Message-ID: <{ctx.hexid(16)}@{host}>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report;\n\tboundary="{b}"\n\n'
    out += f'--{b}\nContent-Type: text/plain; charset="US-ASCII"\nContent-Transfer-Encoding: 7bit\n\n{human}\nFor more information about this format please see http://tools.ietf.org/html/rfc5965.\n\n'
    out += f'--{b}\nContent-Type: message/feedback-report\n\nFeedback-Type: {ft}\nUser-Agent: {ua}\nVersion: 1\nOriginal-Mail-From: <{s.envelope_sender}>\n'
    if ctx.rnd.random() < 0.5: out += f'Original-Rcpt-To: <{s.addr}>\n'
    out += f'Arrival-Date: {rfcdate(SENT)}\nReporting-MTA: dns; {host}\nSource-IP: {OURIP}\nReported-Domain: verdicts.example.com\n'
    if ft == 'auth-failure':
        af = ctx.rnd.choice(['dkim', 'spf', 'dmarc'])
        out += f'Auth-Failure: {af}\nDelivery-Result: {ctx.rnd.choice(["reject", "spam", "delivered"])}\n'
        if af == 'dkim': out += 'DKIM-Domain: verdicts.example.com\nDKIM-Identity: @verdicts.example.com\nDKIM-Selector: mail\n'
        if af == 'spf': out += f'SPF-DNS: txt : verdicts.example.com : v=spf1 include:_spf.example.net -all\n'
        if af == 'dmarc': out += 'Identity-Alignment: dkim, spf\n'
        out += f'Authentication-Results: {host}; dkim=fail (body hash did not verify) header.d=verdicts.example.com; spf={"fail" if af == "spf" else "pass"} smtp.mailfrom=verdicts.example.com; dmarc=fail header.from=verdicts.example.com\n'
    else:
        out += f'Authentication-Results: {host}; dkim=pass header.d=verdicts.example.com; spf=pass smtp.mailfrom=verdicts.example.com\n'
    if ft == 'virus': out += 'Reported-URI: http://verdicts.example.com/issues/5\n'
    if ft == 'fraud': out += 'Fraud-Type: phishing\n'
    orig = s.original('full' if ctx.rnd.random() < 0.7 else 'headers')
    if ctx.rnd.random() < 0.5: orig = orig.replace(s.addr, 'redacted@' + s.domain)
    ct = 'message/rfc822' if 'Content-Type: multipart/alternative' in orig and '--=-digest' in orig else 'text/rfc822-headers'
    out += f'\n--{b}\nContent-Type: {ct}\nContent-Disposition: inline\n\n{orig}\n--{b}--\n'
    return out
arf.opts = lambda r, p, sp: {'domains': ['yahoo.com', 'aol.com', 'mail.ru', 'example.net', 'example.org', 'zohomail.com']}

def jmrp(s):
    """Outlook.com / Hotmail complaint (JMRP): the original forwarded in multipart/mixed, not ARF."""
    ctx = s.ctx
    s.reason, s.consequence = 'complaint', 'complaint'
    s.diag = None
    b = '_%s_' % ctx.hexid(32)
    out = s.top('BL2FFO11FD%03d.mail.protection.outlook.com' % ctx.rnd.randrange(1, 99), '40.92.%d.%d' % (ctx.rnd.randrange(1, 250), ctx.rnd.randrange(2, 250)),
                return_path='<staff@hotmail.com>')
    out += f'From: staff@hotmail.com\nTo: {PLAIN}\nSubject: complaint about message from {OURIP}\nDate: {rfcdate(s.date + datetime.timedelta(hours=3))}\n'
    out += f'Message-ID: <{ctx.hexid(8)}-{ctx.hexid(4)}@hotmail.com>\nX-HmXmrOriginalRecipient: <{s.addr}>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="{b}"\n\n'
    out += f'--{b}\nContent-Type: text/plain; charset="us-ascii"\n\nThis is an email abuse report for an email message received from IP {OURIP} on {rfcdate(SENT)}.\n'
    out += 'For more information about this format please see http://postmaster.live.com/.\n\n'
    orig = s.original('full')
    orig = orig.replace('Return-Path:', f'X-HmXmrOriginalRecipient: <{s.addr}>\nReturn-Path:', 1) if ctx.rnd.random() < 0.5 else f'X-HmXmrOriginalRecipient: <{s.addr}>\n' + orig
    out += f'--{b}\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n{orig}\n--{b}--\n'
    return out
jmrp.opts = lambda r, p, sp: {'domains': ['hotmail.com', 'outlook.com', 'live.com', 'msn.com']}

AUTO = {
    'vacation': ('Auto-Submitted: auto-replied (vacation)\nPrecedence: bulk\n', 'Out of office: {S}', 'I am away until 14 December with no access to email.\nFor anything urgent please write to my colleague Sam.\n'),
    'exchange': ('X-Auto-Response-Suppress: All\nX-MS-Exchange-Inbox-Rules-Loop: {a}\nThread-Topic: {S}\n', 'Automatic reply: {S}', "Thanks for your mail. I'm on parental leave until March and will not read it.\n"),
    'gmail': ('Auto-Submitted: auto-replied\nX-Autoreply: yes\nPrecedence: bulk\n', 'Re: {S}', 'Hi, I check my mail once a week while travelling. I will reply after 10 December.\n'),
    'german': ('Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\n', 'Abwesenheitsnotiz: {S}', 'Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 11.12. nicht im Büro.\nIn dringenden Fällen wenden Sie sich bitte an info@{d}.\n'),
    'french': ('Auto-Submitted: auto-replied\n', 'Réponse automatique : {S}', "Bonjour, je suis absent jusqu'au 15 décembre. Je vous répondrai à mon retour.\n"),
    'ticket': ('Auto-Submitted: auto-generated\nX-Autoreply: yes\nX-Ticket-ID: 48213\n', '[Ticket #48213] We received your request: {S}', 'Thank you for contacting support. Your request has been logged as ticket #48213.\nA member of our team will reply within two working days.\n'),
    'challenge': ('Auto-Submitted: auto-replied\nX-Challenge: yes\n', 'Please confirm your message to {a}', 'I protect my inbox from spam. To deliver your message, please reply to this mail or visit\nhttps://confirm.example.net/c/8f2a1b to confirm that you are a person.\n'),
    'precedence': ('Precedence: auto_reply\n', 'Auto: {S}', 'I no longer read this address often. Please be patient.\n'),
    'left': ('Auto-Submitted: auto-replied\n', 'Automatic reply: {S}', 'I have left the company. This mailbox is no longer monitored; your message will not be read.\nPlease contact office@{d} instead.\n'),
    'russian': ('Auto-Submitted: auto-replied\nX-Mailru-Autoreply: yes\n', 'Автоответ: {S}', 'Здравствуйте! Я в отпуске до 20 декабря и отвечу после возвращения.\n'),
    'yahoo': ('X-Autorespond: yes\nAuto-Submitted: auto-replied\n', 'Auto Response', 'Thanks for your email. I am on vacation and will answer when I am back.\n'),
    'quoting': ('Auto-Submitted: auto-replied\n', 'Out of Office AutoReply: {S}', 'I am out of the office until Monday.\n\n-----Original Message-----\n'),
}
def autoreply(s):
    ctx = s.ctx
    s.reason, s.consequence = 'none', 'ignore'
    s.diag = None
    hdrs, subj, body = AUTO[s.special]
    hdrs = hdrs.replace('{a}', s.addr).replace('{S}', SUBJECT)
    subj, body = subj.replace('{S}', SUBJECT).replace('{a}', s.addr), body.replace('{d}', s.domain)
    host = 'mail.' + s.domain
    out = s.top(host, ctx.ip(), return_path='<>' if ctx.rnd.random() < 0.6 else f'<{s.addr}>')
    out += f'From: {s.name} <{s.addr}>\nTo: {s.to_header()}\nSubject: {enc(subj)}\nDate: {rfcdate(s.date)}\nMessage-ID: <{ctx.hexid(16)}@{host}>\n'
    if s.special in ('exchange', 'left', 'quoting') or ctx.rnd.random() < 0.5:
        out += f'In-Reply-To: <issue-{ISSUE}.subscriber-{s.sub}@{DOMAIN}>\nReferences: <issue-{ISSUE}.subscriber-{s.sub}@{DOMAIN}>\n'
    out += hdrs + 'MIME-Version: 1.0\n'
    if s.special == 'quoting':
        body += ''.join(l + '\n' for l in s.original('headers').splitlines() if l.startswith(('From:', 'To:', 'Subject:', 'Date:')))
    if any(ord(c) > 127 for c in body):
        out += 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n' + qp(body)
    else:
        out += 'Content-Type: text/plain; charset=us-ascii\n\n' + body
    return out
autoreply.opts = lambda r, p, sp: {'domains': GENERIC + ['gmail.com', 'yahoo.com', 'outlook.com', 'mail.ru', 'gmx.de']}

UNSUB = {
    'gmail': ('Unsubscribe', 'This message was automatically generated by Gmail.\n', 'mail-sor-f41.google.com'),
    'apple': ('unsubscribe', '', 'p00-icloudmta-asmtp-us-west-1a-20-percent-2.p00-icloudmta-asmtp-vip.icloud-mail-production.svc.kube.us-west-1a.k8s.cloud.apple.com'),
    'outlook': ('unsubscribe', '', 'NAM12-BN8-obe.outbound.protection.outlook.com'),
    'human': ('Please remove me', 'Hi, please take me off this list. I never read it. Thanks!\n', None),
    'yahoo': ('Unsubscribe', 'Please unsubscribe me.\n', 'sonic301-2.consmr.mail.ne1.yahoo.com'),
    'german': ('Abmelden', 'Bitte tragen Sie mich aus dem Verteiler aus.\n', None),
}
def unsubscribe(s):
    ctx = s.ctx
    s.reason = 'none'
    s.consequence = 'unsubscribe' if s.placement == 'unsub' else 'review'
    subj, body, host = UNSUB[s.special]
    host = host or 'mail.' + s.domain
    to = s.delivered_to()
    out = s.top(host, ctx.ip(), return_path=f'<{s.addr}>')
    out += f'From: {s.name} <{s.addr}>\nTo: {to}\nSubject: {subj}\nDate: {rfcdate(s.date + datetime.timedelta(hours=2))}\nMessage-ID: <{ctx.hexid(20)}@{host.split(".", 1)[-1]}>\n'
    if s.special == 'gmail': out += 'X-Google-Unsubscribe: 1\n'
    out += 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n'
    if any(ord(c) > 127 for c in body): out += 'Content-Transfer-Encoding: 8bit\n'
    out += '\n' + body
    return out
unsubscribe.opts = lambda r, p, sp: {'domains': ['gmail.com', 'icloud.com', 'outlook.com', 'yahoo.com', 'example.com', 'example.org', 'gmx.de']}

PLANS = {
    'arf': (arf, 'cp/quoted:abuse cp/quoted:abuse cp/quoted:abuse cp/quoted-rp:abuse cp/quoted:abuse cp/quoted:fraud cp/quoted:fraud cp/quoted:virus cp/quoted:virus '
                 'nf/quoted:not-spam nf/quoted:not-spam po/quoted:auth-failure po/quoted:auth-failure po/quoted:auth-failure un/quoted:other un/quoted:other cp/env:abuse cp/forged:abuse'),
    'outlook-jmrp': (jmrp, 'cp/quoted cp/quoted cp/quoted cp/quoted-rp cp/quoted-lu cp/quoted'),
    'autoreply': (autoreply, 'nf:vacation nf:exchange nf:gmail nf:german nf:french nf:ticket nf:challenge nf:precedence nf:left#left the company: still an auto-reply, not a bounce '
                             'nf:russian nf:yahoo nf:quoting nf:vacation nf:exchange'),
    'unsubscribe': (unsubscribe, 'nf/unsub:gmail nf/unsub:apple nf/unsub:outlook nf/unsub:human nf/unsub:yahoo nf/unsub:german nf/unsub:gmail nf/unsub-forged:human#unsubscribe token does not verify'),
}
