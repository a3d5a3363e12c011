# Mailbox providers: Gmail and Google Workspace, Microsoft (Exchange 2003, 2007/2010, Office 365, Outlook.com),
# Yahoo, AOL, iCloud, Amazon SES and WorkMail, GMX/Web.de, mail.ru, Yandex, Zoho.
from core import *
import vendors_mta as M

def pool_opts(pool, domains=None):
    def opts(reason, placement, special):
        o = {'pool': pool}
        if domains: o['domains'] = domains if reason != 'host-unknown' else DEAD
        return o
    return opts

def with_opts(fn, opts):
    fn.opts = opts
    return fn

# ---------------------------------------------------------------------------------------------- Gmail / Workspace
def gmail(s, workspace=False):
    ctx, r, sp = s.ctx, s.reason, s.special
    a = s.addr
    remote = not (s.domain in ('gmail.com', 'googlemail.com') or (workspace and s.family == 'google'))
    status = s.status
    action = 'failed'
    subject = 'Delivery Status Notification (Failure)'
    if sp == 'delayed':
        d = ctx.cycle('g-delay', TEMPORARY_LAST); s.diag = (d[0], d[1], fill(d[2], s)); status = d[1]; action = 'delayed'
        subject = 'Delivery Status Notification (Delay)'
        head, intro = 'Delivery incomplete', f"There was a temporary problem delivering your message to {a}. Gmail will retry for {ctx.rnd.randrange(40, 47)} more hours. You'll be notified if the delivery fails permanently."
    elif r == 'host-unknown':
        head, intro = 'Address not found', f"Your message wasn't delivered to {a} because the domain {s.domain} couldn't be found. Check for typos or unnecessary spaces and try again."
        s.diag = ('', '5.1.2', f"DNS Error: DNS type 'mx' lookup of {s.domain} responded with code NXDOMAIN Domain name not found: {s.domain} Learn more at https://support.google.com/mail/?p=BadRcptDomain"); status = '5.1.2'
        remote = False
    elif r == 'expired':
        head, intro = 'Message not delivered', f"There was a problem delivering your message to {a}. See the technical details below, or try resending in a few minutes."
        s.diag = ('', '4.4.1', f'The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [{s.mx}. {s.mxip}: timed out]'); status = '4.4.1'
        remote = False
    elif r in ('user-unknown', 'mailbox-disabled'):
        head, intro = 'Address not found', f"Your message wasn't delivered to {a} because the address couldn't be found, or is unable to receive mail."
    elif r in ('blocked', 'content', 'policy'):
        head, intro = 'Message blocked', f"Your message to {a} has been blocked. See technical details below for more information."
    elif r == 'on-hold':
        head, intro = 'Message not delivered', f"Your message to {a} is awaiting moderator approval. The group's moderators will review it."
    else:
        head, intro = 'Message not delivered', f"There was a problem delivering your message to {a}. See the technical details below, or try resending in a few minutes."
    if sp == 'groups':
        head = 'Address not found'
        intro = (f"We're writing to let you know that the group you tried to contact ({s.local}) may not exist, or you may not have permission to post messages to the group. "
                 "A few more details on why you weren't able to post:\n\n * You might have spelled or formatted the group name incorrectly.\n * The owner of the group may have removed this group.\n"
                 " * You may need to join the group before receiving permission to post.\n * This group may not be open to posting.\n\n"
                 f"If you have questions related to this or any other Google Group, visit the Help Center at https://groups.google.com/a/{s.domain}/support/.\n\nThanks,\n\n{s.domain} admins")
        s.diag = ('550', '5.1.1', f'<{a}>: group does not accept this message'); status = '5.1.1'; remote = False
    if remote and s.diag and s.diag[0]:
        resp = 'The response from the remote server was:\n' + '\n'.join(reply_lines(*s.diag))
    else:
        t = s.text
        if s.diag[0] and '{gid}' not in t and 'gsmtp' not in t and sp != 'groups': t = reply(s)
        resp = 'The response was:\n\n' + t.split(' https://support.google.com')[0].rstrip('.') + '.' if 'Learn more' not in t else 'The response was:\n\n' + t
        if sp == 'groups': resp = ''
    learn = {'Address not found': 'https://support.google.com/mail/?p=NoSuchUser', 'Message blocked': 'https://support.google.com/mail/?p=BlockedMessage'}.get(head, 'https://support.google.com/mail/answer/7720')
    b1, b2, b3 = '0000000000' + ctx.hexid(18), '0000000000' + ctx.hexid(18), '0000000000' + ctx.hexid(18)
    gdate = s.date.astimezone(datetime.timezone(datetime.timedelta(hours=-8)))
    out = s.top('mail-sor-f%d.google.com' % ctx.rnd.randrange(41, 99), '209.85.220.%d' % ctx.rnd.randrange(41, 99))
    out = out.replace('Return-Path: <>\n', '')
    out = f'Delivered-To: {s.delivered_to()}\n' + out.split('\n', 2)[2] if False else out
    out += f'Received: by 2002:a05:6402:{ctx.hexid(4)}:b0:5d0:{ctx.hexid(4)}:{ctx.hexid(4)} with SMTP id {ctx.alnum(10).lower()}csp{ctx.rnd.randrange(100000, 999999)}edb;\n        {rfcdate(gdate, -8)} (PST)\n'
    frm = 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>'
    out += f'From: {frm}\nTo: {s.to_header()}\nAuto-Submitted: auto-replied\nSubject: {subject}\n'
    if s.placement not in ('foreign',):
        out += f'References: <issue-{ISSUE}.subscriber-{s.sub}@{DOMAIN}>\nIn-Reply-To: <issue-{ISSUE}.subscriber-{s.sub}@{DOMAIN}>\n'
    if action == 'failed': out += f'X-Failed-Recipients: {a}\n'
    out += f'Message-ID: <{ctx.hexid(8)}.{ctx.hexid(6)}.{ctx.hexid(6)}.{ctx.hexid(4)}GMR@mx.google.com>\nDate: {rfcdate(gdate, -8)} (PST)\nMIME-Version: 1.0\n'
    out += f'Content-Type: multipart/report; boundary="{b1}"; report-type=delivery-status\n\n'
    out += f'--{b1}\nContent-Type: multipart/related; boundary="{b2}"\n\n--{b2}\nContent-Type: multipart/alternative; boundary="{b3}"\n\n'
    out += f'--{b3}\nContent-Type: text/plain; charset="UTF-8"\n\n\n** {head} **\n\n{intro}\n\n'
    if sp != 'groups': out += f'Learn more here: {learn}\n\n{resp}\n\n'
    out += f'--{b3}\nContent-Type: text/html; charset="UTF-8"\n\n<html><body><h2>{head}</h2><p>{intro.splitlines()[0]}</p></body></html>\n\n--{b3}--\n\n--{b2}--\n\n'
    out += f'--{b1}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; googlemail.com\nReceived-From-MTA: dns; {OURHOST}\nArrival-Date: {rfcdate(SENT.astimezone(datetime.timezone(datetime.timedelta(hours=-8))), -8)} (PST)\n'
    if s.placement != 'foreign': out += f'X-Original-Message-ID: <issue-{ISSUE}.subscriber-{s.sub}@{DOMAIN}>\n'
    out += f'\nFinal-Recipient: rfc822; {a}\nAction: {action}\nStatus: {status}\n'
    if s.diag[0]:
        out += f'Remote-MTA: dns; {s.mx}. ({s.mxip}, the server for the domain {s.domain}.)\n'
        out += 'Diagnostic-Code: smtp; ' + '\n '.join(reply_lines(*s.diag)) + '\n'
    else:
        out += fold('Diagnostic-Code', 'smtp; ' + s.text) + '\n'
    out += f'Last-Attempt-Date: {rfcdate(gdate, -8)} (PST)\n'
    if action == 'delayed': out += f'Will-Retry-Until: {rfcdate(gdate + datetime.timedelta(days=2), -8)} (PST)\n'
    mode = M.orig_mode(s, 'full' if action == 'failed' else 'headers')
    if mode:
        ct = 'message/rfc822' if mode == 'full' else 'text/rfc822-headers'
        out += f'\n--{b1}\nContent-Type: {ct}\n\n' + s.original(mode)
    out += f'\n--{b1}--\n'
    return out

GMAIL = {
    'user-unknown': [SPECIFIC['gunknown']] * 2 + REPLIES['user-unknown'][:8],
    'mailbox-disabled': [SPECIFIC['gdisabled'], ('550', '5.2.1', '<{a}>: Recipient address rejected: account disabled')],
    'mailbox-full': [SPECIFIC['gfull'], REPLIES['mailbox-full'][2], ('552', '5.2.2', 'Mailbox full')],
    'message-too-large': [REPLIES['message-too-large'][3], ('552', '5.3.4', 'Message size exceeds fixed maximum message size')],
    'content': [REPLIES['content'][0], REPLIES['content'][4], ('554', '5.7.1', 'Message rejected because of content restrictions')],
    'blocked': [REPLIES['blocked'][0], REPLIES['blocked'][1], REPLIES['blocked'][6]],
    'policy': [REPLIES['policy'][0], REPLIES['policy'][1], REPLIES['policy'][5], REPLIES['policy'][9], REPLIES['policy'][2], REPLIES['policy'][16]],
    'rate-limited': [SPECIFIC['dailylimit'], SPECIFIC['gmailrate'], SPECIFIC['toomany']],
    'system': [('554', '5.4.14', 'Hop count exceeded - possible mail loop'), ('550', '5.4.6', 'Too many hops 31 (30 max)')],
    'unknown': [('550', '5.0.0', 'Permanent failure'), ('554', '5.0.0', 'Transaction failed')],
    'on-hold': [('', '4.7.0', 'Message held for moderation')],
}
gmail.opts = lambda r, p, sp: {'pool': GMAIL, 'domains': (['gmail.com', 'gmail.com', 'googlemail.com'] if r in ('user-unknown', 'mailbox-disabled', 'mailbox-full') and True else None) if False else None}

def workspace(s): return gmail(s, workspace=True)
workspace.opts = lambda r, p, sp: {'pool': GMAIL}

# ---------------------------------------------------------------------------------------------- Microsoft
MS = {
    'user-unknown': [('550', '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'), ('550', '5.1.1', 'RESOLVER.ADR.RecipNotFound; not found'),
                     ('550', '5.1.1', 'RESOLVER.ADR.ExRecipNotFound; not found'), SPECIFIC['dbeb'], SPECIFIC['olc550'],
                     ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown in virtual mailbox table')],
    'host-unknown': [('550', '5.4.310', 'DNS domain {d} does not exist [Message=InfoDomainNonexistent] [LastAttemptedServerName={d}] [{ms}]'),
                     ('550', '5.4.4', 'SMTPSEND.DNS.NonExistentDomain; nonexistent domain')],
    'mailbox-disabled': [('550', '5.2.1', 'STOREDRV.Deliver: mailbox disabled'), ('550', '5.2.1', '<{a}>: Recipient address rejected: account disabled')],
    'mailbox-full': [('554', '5.2.2', 'mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot open mailbox.[EndDiagnosticData]'),
                     ('452', '4.2.2', 'STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded'), ('552', '5.2.2', 'Mailbox full')],
    'message-too-large': [('550', '5.3.4', 'ROUTING.SizeLimit; message size exceeds fixed maximum size for route'), ('550', '5.2.3', 'RESOLVER.RST.RecipSizeLimit; message too large for this recipient')],
    'policy': [('550', '5.7.1', 'RESOLVER.RST.NotAuthorized; not authorized'), SPECIFIC['groupauth'], SPECIFIC['dmarcms'],
               ('550', '5.7.23', 'The message was rejected because of Sender Policy Framework violation'), REPLIES['policy'][18],
               ('550', '5.7.1', 'RESOLVER.RST.AuthRequired; authentication required')],
    'blocked': [REPLIES['blocked'][3], SPECIFIC['s3150'], REPLIES['blocked'][2],
                ('550', '5.7.511', 'Access denied, banned sender[{ip}]. To request removal from this list, forward this message to delist@microsoft.com. For more information please go to https://go.microsoft.com/fwlink/?LinkId=526653. AS(1410) [{ms}]')],
    'content': [('550', '5.7.350', 'Remote server returned message detected as spam -> 554 5.7.1 Message rejected'), ('550', '5.7.1', 'Message rejected as spam by Content Filtering.'),
                ('554', '5.7.1', 'The message was rejected because it contains prohibited virus or spam content')],
    'expired': [('550', '4.4.7', 'QUEUE.Expired; message expired'), ('550', '5.4.316', 'Message expired, connection refused(Socket error code 10061)'), ('550', '5.4.300', 'Message expired'),
                ('550', '4.4.7', 'Message delayed [Message=Socket error code 10060] [LastAttemptedServerName=mx.{d}] [LastAttemptedServerIP=203.0.113.40:25] [{ms}]')],
    'system': [('554', '5.4.14', 'Hop count exceeded - possible mail loop ATTR34 [{ms}]'), ('554', '5.4.6', 'ROUTING.RoutingLoop; routing loop detected'),
               ('550', '5.3.5', 'STOREDRV.Deliver.Exception:StoragePermanentException; internal error')],
    'rate-limited': [('451', '4.7.650', 'The mail server [{ip}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [{ms}]')],
    'unknown': [('550', '5.0.350', 'Remote server returned an error -> 550 Message rejected'), ('554', '5.0.0', 'Service unavailable')],
    'on-hold': [('550', '5.2.0', 'APPROVAL.InvalidExpiry; approval process expired')],
}
MS_HUMAN = {
    'user-unknown': ("{local} wasn't found at {d}.", "The email address you entered couldn't be found. Please check the recipient's email address and try to resend the message."),
    'host-unknown': ("Your message couldn't be delivered because the domain {d} couldn't be found.", "The domain name in the email address is incorrect."),
    'mailbox-disabled': ("{local}'s mailbox has been disabled.", "The recipient's mailbox is disabled and can't receive messages."),
    'mailbox-full': ("{local}'s mailbox is full.", "The recipient's mailbox is full and can't accept messages now. Please try resending this message later, or contact the recipient directly."),
    'message-too-large': ("Your message is too big to send.", "Your message is too big for the recipient's email system."),
    'policy': ("Your message couldn't be delivered. The recipient's email system rejected it for security reasons.", "Delivery to this recipient is restricted."),
    'blocked': ("Your message wasn't delivered because the recipient's email provider rejected it.", "The recipient's email provider rejected the message from the sending IP address."),
    'content': ("Your message wasn't delivered because the recipient's email provider rejected it.", "The message was identified as spam."),
    'expired': ("Delivery has failed to these recipients or groups. The recipient's email system didn't respond in time.", "The message couldn't be delivered in the time allowed."),
    'system': ("Your message couldn't be delivered. A problem occurred while delivering your message to this email address.", "A configuration error in the email system caused the message to bounce between servers."),
    'rate-limited': ("Your message couldn't be delivered. The recipient's email system is limiting mail from your server.", "Try again later."),
    'unknown': ("Your message couldn't be delivered.", "A problem occurred while delivering your message to this email address."),
    'on-hold': ("Your message to {local} wasn't delivered because it waited too long for moderator approval.", "The group's moderator didn't approve the message in time."),
}

def microsoft(s, style):
    """Exchange 2007/2010/2016 (style ex2010), Exchange Online (o365) and Outlook.com (olc) non-delivery reports."""
    ctx, r, sp = s.ctx, s.reason, s.special
    lang = sp if sp in ('de', 'fr') else 'en'
    if style == 'o365' or style == 'olc':
        gen = ctx.rnd.choice(['AM6PR04MB%d.eurprd04.prod.outlook.com', 'BN8PR12MB%d.namprd12.prod.outlook.com', 'DM6PR11MB%d.namprd11.prod.outlook.com', 'PH0PR19MB%d.namprd19.prod.outlook.com']) % ctx.rnd.randrange(1000, 9999)
        frm = 'Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@%s>' % s.domain if style == 'o365' else 'postmaster@' + ctx.rnd.choice(['outlook.com', 'hotmail.com'])
    else:
        gen = ctx.rnd.choice(['EXCH01', 'MBX02', 'EX2016-HUB', 'CAS01']) + '.' + s.domain
        frm = 'postmaster@' + s.domain
    if sp in ('delivered', 'relayed'):
        return ms_success(s, gen, frm, sp)
    if sp == 'delayed':
        return ms_delay(s, gen, frm)
    human, fix = MS_HUMAN[r]
    human, fix = human.replace('{local}', s.local).replace('{d}', s.domain), fix
    diag = reply(s)
    st = s.status if s.diag[1].count('.') == 2 else (s.diag[0][0] + '.0.0')
    if lang == 'de':
        title, intro, admin, gens, heads, subj = ('Fehler bei der Zustellung an folgende Empfänger oder Gruppen:', '', 'Diagnoseinformationen für Administratoren:', 'Generierender Server', 'Ursprüngliche Nachrichtenkopfzeilen:', 'Unzustellbar: ')
        human = {'user-unknown': 'Die eingegebene E-Mail-Adresse wurde nicht gefunden. Überprüfen Sie die E-Mail-Adresse des Empfängers, und versuchen Sie erneut, die Nachricht zu senden.',
                 'mailbox-full': 'Das Postfach des Empfängers ist voll und kann zurzeit keine Nachrichten annehmen.'}.get(r, 'Die Nachricht konnte nicht zugestellt werden.')
    elif lang == 'fr':
        title, intro, admin, gens, heads, subj = ('La remise a échoué pour les destinataires ou groupes suivants :', '', 'Informations de diagnostic pour les administrateurs :', 'Serveur de génération', 'En-têtes de message d\'origine :', 'Non remis : ')
        human = {'user-unknown': "L'adresse de messagerie que vous avez entrée est introuvable. Vérifiez l'adresse de messagerie du destinataire et essayez de renvoyer le message.",
                 'mailbox-full': "La boîte aux lettres du destinataire est pleine et ne peut pas accepter de messages pour l'instant."}.get(r, "Le message n'a pas pu être remis.")
    else:
        title, admin, gens, heads, subj = ('Delivery has failed to these recipients or groups:', 'Diagnostic information for administrators:', 'Generating server', 'Original message headers:', 'Undeliverable: ')
    orig_h = s.original('headers') if s.placement != 'env-noorig' else ''
    if style == 'ex2010' or lang != 'en':
        text = f'{title}\n\n{s.name} ({s.addr})\n{human}\n\n\n\n\n\n\n{admin}\n\n{gens}: {gen}\n\n{s.addr}\n#{diag} ##\n\n'
    else:
        recv = s.mx
        text = (f"Your message to {s.addr} couldn't be delivered.\n\n{human}\n\n{s.name}\nOffice 365\n{s.local}\nAction Required\nRecipient\n\n{fix}\n\nHow to Fix It\n"
                f"Check the recipient's address for typos, or contact the recipient directly to find the correct address.\n\nMore Info for Email Admins\nStatus code: {st}\n\n"
                f"Was this helpful? Send feedback to Microsoft.\n\n________________________________\n\n{admin}\n\n{gens}: {gen}\nReceiving server: {recv}\n\n{s.addr}\n{rfcdate(s.date)}\n"
                f"Remote Server returned '{diag}'\n\n")
    if orig_h: text += f'{heads}\n\n' + orig_h
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><p>' + human + '</p><p>' + s.addr + '</p><p>' + diag.replace('<', '&lt;').replace('>', '&gt;') + '</p></body></html>\n'
    bo, ba = ctx.rnd.choice(['_000_', '_004_']) + ctx.hexid(8) + '-' + ctx.hexid(4) + '-' + ctx.hexid(4), '_000_' + ctx.hexid(32)
    out = s.top(ctx.rnd.choice(['EUR05-DB8-obe.outbound.protection.outlook.com', 'NAM12-BN8-obe.outbound.protection.outlook.com', 'mail.' + s.domain]), '40.107.%d.%d' % (ctx.rnd.randrange(1, 250), ctx.rnd.randrange(2, 250)))
    out += f'From: {frm}\nTo: {s.to_header()}\nDate: {rfcdate(s.date)}\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary="{bo}"\n'
    out += 'X-MS-Exchange-Message-Is-Ndr:\n' if style != 'ex2010' or ctx.rnd.random() < 0.5 else ''
    out += f'Content-Language: {"de-DE" if lang == "de" else "fr-FR" if lang == "fr" else "en-US"}\nMessage-ID: <{ctx.hexid(8)}-{ctx.hexid(4)}-{ctx.hexid(4)}-{ctx.hexid(4)}-{ctx.hexid(12)}@{gen}>\n'
    if s.placement not in ('foreign',) and ctx.rnd.random() < 0.6:
        out += f'In-Reply-To: <issue-{ISSUE}.subscriber-{s.sub}@{DOMAIN}>\nReferences: <issue-{ISSUE}.subscriber-{s.sub}@{DOMAIN}>\n'
    out += f'Thread-Topic: {SUBJECT}\nSubject: {enc(subj + SUBJECT)}\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n\n'
    out += f'--{bo}\nContent-Type: multipart/alternative; differences=Content-Type;\n\tboundary="{ba}"\n\n'
    cte = 'quoted-printable'
    out += f'--{ba}\nContent-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: {cte}\n\n' + qp(text) + '\n'
    out += f'--{ba}\nContent-Type: text/html; charset="utf-8"\nContent-Transfer-Encoding: {cte}\n\n' + qp(html) + '\n'
    out += f'--{ba}--\n\n--{bo}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;{gen}\nReceived-From-MTA: dns;{OURHOST}\nArrival-Date: {rfcdate(SENT)}\n\n'
    out += f'Final-Recipient: rfc822;{s.addr}\nAction: failed\nStatus: {st}\n'
    if style != 'ex2010': out += f'Remote-MTA: dns;{s.mx}\n'
    out += f'Diagnostic-Code: smtp;{diag}\n'
    mode = M.orig_mode(s, 'headers')
    if mode:
        out += f'\n--{bo}\nContent-Type: text/rfc822-headers\n\n' + s.original('headers')
    out += f'\n--{bo}--\n'
    return out

def ms_success(s, gen, frm, sp):
    ctx = s.ctx
    bo = '_000_' + ctx.hexid(32)
    word = 'Delivered' if sp == 'delivered' else 'Relayed'
    out = s.top('mail.' + s.domain, ctx.ip())
    out += f'From: {frm}\nTo: {s.to_header()}\nDate: {rfcdate(s.date)}\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary="{bo}"\n'
    out += f'Message-ID: <{ctx.hexid(16)}@{gen}>\nSubject: {word}: {SUBJECT}\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n\n'
    txt = ('Your message has been delivered to the following recipients:' if sp == 'delivered' else
           'Delivery to these recipients or groups is complete, but no delivery notification was sent by the destination server:')
    out += f'--{bo}\nContent-Type: text/plain; charset="us-ascii"\n\n{txt}\n\n{s.name} ({s.addr})\n\nSubject: {SUBJECT}\n\n'
    out += f'--{bo}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;{gen}\nReceived-From-MTA: dns;{OURHOST}\nArrival-Date: {rfcdate(SENT)}\n\n'
    out += f'Final-Recipient: rfc822;{s.addr}\nAction: {sp}\nStatus: 2.0.0\n'
    if sp == 'relayed': out += f'Remote-MTA: dns;{s.mx}\n'
    out += f'\n--{bo}\nContent-Type: text/rfc822-headers\n\n' + s.original('headers') + f'\n--{bo}--\n'
    return out

def ms_delay(s, gen, frm):
    ctx = s.ctx
    bo = '_000_' + ctx.hexid(32)
    out = s.top('mail.' + s.domain, ctx.ip())
    out += f'From: {frm}\nTo: {s.to_header()}\nDate: {rfcdate(s.date + datetime.timedelta(hours=4))}\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary="{bo}"\n'
    out += f'X-MS-Exchange-Message-Is-Ndr:\nMessage-ID: <{ctx.hexid(16)}@{gen}>\nSubject: Delivery delayed:{SUBJECT}\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n\n'
    out += (f'--{bo}\nContent-Type: text/plain; charset="us-ascii"\n\nDelivery is delayed to these recipients or groups:\n\n{s.addr}\n\nSubject: {SUBJECT}\n\n'
            'This message hasn\'t been delivered yet. Delivery will continue to be attempted.\n\nThe server will keep trying to deliver this message for the next 1 days, 19 hours and 52 minutes. You\'ll be notified if the message can\'t be delivered by that time.\n\n'
            f'Diagnostic information for administrators:\n\nGenerating server: {gen}\nReceiving server: {s.mx}\n\n{s.addr}\nRemote Server returned \'451 4.4.0 Primary target IP address responded with: "421 4.3.2 Service not available." Attempted failover to alternate host, but that did not succeed.\'\n\n')
    out += f'--{bo}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;{gen}\nReceived-From-MTA: dns;{OURHOST}\nArrival-Date: {rfcdate(SENT)}\n\n'
    out += f'Final-Recipient: rfc822;{s.addr}\nAction: delayed\nStatus: 4.4.0\nWill-Retry-Until: {rfcdate(SENT + datetime.timedelta(days=2))}\nX-Display-Name: {s.name}\n'
    out += f'\n--{bo}\nContent-Type: text/rfc822-headers\n\n' + s.original('headers') + f'\n--{bo}--\n'
    return out

def office365(s): return microsoft(s, 'o365')
office365.opts = lambda r, p, sp: {'pool': MS, 'domains': ['contoso.example', 'fabrikam.example', 'northwind.example', 'corp.example.org', 'agency.example.org'] if r != 'host-unknown' else DEAD}
def outlookcom(s): return microsoft(s, 'olc')
outlookcom.opts = lambda r, p, sp: {'pool': MS, 'domains': ['outlook.com', 'hotmail.com', 'live.com', 'hotmail.co.uk', 'outlook.de', 'msn.com'] if r != 'host-unknown' else DEAD}
def exchange2010(s): return microsoft(s, 'ex2010')
exchange2010.opts = lambda r, p, sp: {'pool': MS, 'domains': ['corp.example.org', 'acme.example.net', 'mail.example.com', 'lab.example.net', 'uni.example.org'] if r != 'host-unknown' else DEAD}

EX2003 = {
    'user-unknown': ('The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.', '#5.1.1'),
    'host-unknown': ('The destination server for this recipient could not be found in Domain Name Service (DNS).  Please verify the e-mail address and retry.  If that fails, contact your system administrator.', '#5.4.0'),
    'mailbox-full': ("The recipient's mailbox is full and can't accept messages now. Please try resending this message later, or contact the recipient directly.", '#5.2.2'),
    'policy': ('You do not have permission to send to this recipient.  For assistance, contact your system administrator.', '#5.7.1 smtp;550 5.7.1 Requested action not taken: message refused'),
    'system': ('A configuration error in the e-mail system caused the message to bounce between two servers or to be split into too many parts.', '#5.4.6'),
    'expired': ('Could not deliver the message in the time limit specified.  Please retry or contact your administrator.', '#4.4.7'),
    'message-too-large': ('Message or message segment too large.  The message or message segment is too large for this route.', '#5.3.4'),
    'unknown': ('The message reached the recipient\'s e-mail system, but delivery was refused.  Attempt to resend the message.  If it still fails, contact your system administrator.', '#5.0.0 smtp;550 Rejected'),
    'mailbox-disabled': ('The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.', '#5.1.1 smtp;550 5.2.1 mailbox disabled'),
}
def exchange2003(s):
    ctx, r = s.ctx, s.reason
    human, code = EX2003[r]
    host = ctx.rnd.choice(['EXCH2K3', 'MAIL01', 'SBS2003']) + '.' + s.domain
    s.diag = ('', code[1:6], human)
    sent = SENT.strftime('%m/%d/%Y %I:%M %p').lstrip('0')
    out = s.top('mail.' + s.domain, ctx.ip(), tls=False)
    out += f'Subject: Undeliverable: {SUBJECT}\nFrom: System Administrator <postmaster@{s.domain}>\nTo: {s.to_header()}\nDate: {rfcdate(s.date)}\nMIME-Version: 1.0\n'
    mode = s.placement.startswith('quoted') or s.placement == 'foreign' or ctx.rnd.random() < 0.3
    b = '----_=_NextPart_001_01C' + ctx.hexid(13).upper()
    out += f'X-MS-Has-Attach: {"yes" if mode else ""}\nX-MS-TNEF-Correlator: \nMessage-ID: <{ctx.hexid(8).upper()}{ctx.hexid(8).upper()}@{host}>\n'
    if mode: out += f'Content-Type: multipart/mixed;\n\tboundary="{b}"\n\nThis is a multi-part message in MIME format.\n\n--{b}\n'
    out += 'Content-Type: text/plain; charset="us-ascii"\nContent-Transfer-Encoding: 7bit\n\n'
    out += f'Your message did not reach some or all of the intended recipients.\n\n      Subject:\t{SUBJECT}\n      Sent:\t{sent}\n\nThe following recipient(s) cannot be reached:\n\n'
    out += f'      {s.name} on {s.date.strftime("%m/%d/%Y %I:%M %p").lstrip("0")}\n            {human}\n            <{host} {code}>\n\n'
    if mode: out += f'--{b}\nContent-Type: message/rfc822\n\n' + s.original('full') + f'\n--{b}--\n'
    return out
exchange2003.opts = lambda r, p, sp: {'domains': ['corp.example.org', 'acme.example.net', 'fabrikam.example', 'northwind.example'] if r != 'host-unknown' else DEAD}

# ---------------------------------------------------------------------------------------------- Yahoo / AOL
YAHOO = {
    'user-unknown': [('554', '', "delivery error: dd This user doesn't have a {d} account ({a}) [0] - mta1021.mail.ne1.yahoo.com"),
                     ('554', '', 'delivery error: dd Not a valid recipient - atlas113.free.mail.ne1.yahoo.com'),
                     ('554', '', "delivery error: dd This user doesn't have a {d} account ({a}) [-5] - mta4211.mail.gq1.yahoo.com"),
                     ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown in virtual mailbox table')],
    'mailbox-disabled': [('554', '', 'delivery error: dd Sorry your message to {a} cannot be delivered. This mailbox is disabled (554.30). - mta1062.mail.bf1.yahoo.com'),
                         ('554', '30', 'Sorry, your message to {a} cannot be delivered.  This mailbox is disabled (554.30).')],
    'mailbox-full': [('554', '', 'delivery error: dd Sorry your message to {a} cannot be delivered. This account is over quota. - mta1313.mail.bf1.yahoo.com'),
                     ('554', '', 'delivery error: dd Sorry, your message to {a} cannot be delivered. This account has been temporarily suspended. - mta1201.mail.gq1.yahoo.com')],
    'blocked': [SPECIFIC['tss04'], REPLIES['blocked'][8], ('421', '4.7.0', '[TS01] Messages from {ip} temporarily deferred due to excessive user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes')],
    'content': [REPLIES['content'][8]],
    'policy': [REPLIES['policy'][10], ('550', '5.7.9', 'This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.')],
    'message-too-large': [('552', '', '1 Requested mail action aborted, message size exceeds limit')],
}
def yahoo(s, aol=False):
    ctx, r = s.ctx, s.reason
    host = 'yahoo.com' if not aol else 'aol.com'
    if r == 'host-unknown':
        s.diag = ('', '5.1.2', f"Sorry, I couldn't find any host named {s.domain}. (#5.1.2)"); block = f'<{s.addr}>:\n{s.text}\n'
    elif r == 'expired':
        s.diag = ('', '4.4.1', "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)")
        block = f"<{s.addr}>:\n{s.text}\nI'm not going to try again; this message has been in the queue too long.\n"
    else:
        block = f'<{s.addr}>:\n{reply(s).replace("delivery error", ": delivery error", 1).replace(" : ", ": ") if s.diag[0] == "554" and "delivery error" in s.text else reply(s)}\n'
    newer = ctx.rnd.random() < 0.4
    out = s.top('sonic%d-%d.consmr.mail.%s.yahoo.com' % (ctx.rnd.randrange(300, 330), ctx.rnd.randrange(1, 40), ctx.rnd.choice(['ne1', 'bf2', 'gq1'])), '74.6.%d.%d' % (ctx.rnd.randrange(128, 140), ctx.rnd.randrange(2, 250)))
    out += f'Date: {rfcdate(s.date)}\nFrom: MAILER-DAEMON@{host}\nTo: {s.to_header()}\nSubject: {"Failure Notice" if not newer else "Delivery failure"}\nX-Yahoo-Newman-Property: ymail-3\n'
    if s.special == 'autosub': out += 'Auto-Submitted: auto-replied\n'
    out += 'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n'
    if newer:
        out += f'Message from {host}.\nUnable to deliver message to the following address(es).\n\n{block}\n'
        marker = '--- Original message follows.\n\n'
    else:
        out += f'Sorry, we were unable to deliver your message to the following address.\n\n{block}\n'
        marker = '--- Below this line is a copy of the message.\n\n'
    mode = M.orig_mode(s, 'full')
    if mode: out += marker + s.original(mode)
    return out
yahoo.opts = lambda r, p, sp: {'pool': YAHOO, 'domains': PROVIDERS['yahoo'] if r != 'host-unknown' else DEAD}

def aol(s):
    """AOL's DSN: no blank line between the per-message and the per-recipient fields."""
    ctx = s.ctx
    if s.special == 'plain': return yahoo(s, aol=True)
    b = '%s.%d/%s' % (ctx.alnum(12), int(s.date.timestamp()), 'omr-m%d.mx.aol.com' % ctx.rnd.randrange(10, 30))
    host = b.split('/')[1]
    out = s.top(host, '64.12.%d.%d' % (ctx.rnd.randrange(80, 99), ctx.rnd.randrange(2, 250)))
    out += f'Date: {rfcdate(s.date)}\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@aol.com>\nTo: {s.to_header()}\nSubject: Returned mail: see transcript for details\nAuto-Submitted: auto-generated (failure)\n'
    out += f'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary="{b}"\nMessage-Id: <{ctx.hexid(12)}@{host}>\n\n'
    out += f'This is a MIME-encapsulated message\n\n--{b}\nContent-Type: text/plain; charset=us-ascii\n\n'
    out += f'The original message was received at {rfcdate(SENT)}\nfrom {OURHOST} [{OURIP}]\n\n   ----- The following addresses had permanent fatal errors -----\n<{s.addr}>\n    (reason: {reply(s)})\n\n'
    out += f'--{b}\nContent-Type: message/delivery-status\n\n'
    out += dsn_fields(s, host, blank=False, orig_rcpt=False)
    mode = M.orig_mode(s, 'headers')
    if mode: out += f'\n--{b}\nContent-Type: text/rfc822-headers\n\n' + s.original('headers')
    out += f'\n--{b}--\n'
    return out
aol.opts = lambda r, p, sp: {'pool': YAHOO, 'domains': PROVIDERS['aol'] if r != 'host-unknown' else DEAD}

# ---------------------------------------------------------------------------------------------- iCloud
APPLE = {
    'user-unknown': [('550', '5.1.1', '<{a}>: user does not exist'), ('550', '5.1.1', 'unknown or illegal alias: {a}')],
    'mailbox-disabled': [('550', '5.1.1', '<{a}>: inactive email address'), ('550', '5.2.1', '<{a}>: account disabled')],
    'mailbox-full': [('552', '5.2.2', '<{a}>: user is over quota'), ('452', '4.2.2', '<{a}>: mailbox full')],
    'content': [('554', '5.7.1', '[CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137')],
    'policy': [('550', '5.7.1', '[HM08] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137'),
               ('550', '5.7.0', 'DMARC policy of verdicts.example.com is reject; message rejected')],
    'blocked': [('550', '5.7.0', 'Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip={ip}'), ('554', '5.7.1', '[HM07] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137 ({ip} listed at zen.spamhaus.org)')],
    'message-too-large': [('552', '5.3.4', 'Message size exceeds fixed maximum message size')],
    'rate-limited': [('421', '4.7.0', 'Too many connections from {ip}, please try again later')],
}
def icloud(s):
    s.family = 'apple'
    s.mx, s.mxip = 'mx0%d.mail.icloud.com' % s.ctx.rnd.randrange(1, 3), '17.42.251.%d' % s.ctx.rnd.randrange(2, 99)
    out = M.postfix(s)
    host = 'ms%d.mail.me.com' % s.ctx.rnd.randrange(10, 99)
    return out.replace(OURHOST, host).replace('mail.' + s.domain, host).replace(f'X-Postfix-Sender: rfc822; ', 'X-Postfix-Sender: rfc822; ')
icloud.opts = lambda r, p, sp: {'pool': APPLE, 'domains': PROVIDERS['apple'] if r != 'host-unknown' else DEAD}

# ---------------------------------------------------------------------------------------------- Amazon SES / WorkMail
SES_EXTRA = {
    'expired': [('554', '4.4.7', 'Message expired: unable to deliver in 840 minutes.<421 4.4.0 Unable to lookup DNS for {d}>'),
                ('554', '4.4.7', 'Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>')],
    'unknown': [('550', '5.1.1', 'Amazon SES did not send the message to this address because it is on the suppression list for your account. For more information about removing addresses from the suppression list, see the Amazon SES Developer Guide at https://docs.aws.amazon.com/ses/latest/DeveloperGuide/sending-email-suppression-list.html')],
}
def ses(s, workmail=False):
    ctx = s.ctx
    region = ctx.rnd.choice(['us-east-1', 'us-west-2', 'eu-west-1'])
    host = 'a%d-%d.smtp-out.%s.amazonses.com' % (ctx.rnd.randrange(8, 48), ctx.rnd.randrange(10, 250), region)
    if workmail:
        out = s.top(host, '54.240.%d.%d' % (ctx.rnd.randrange(1, 50), ctx.rnd.randrange(2, 250)))
        out += f'From: MAILER-DAEMON@{region}.amazonses.com\nTo: {s.to_header()}\nSubject: Delivery Status Notification (Failure)\nDate: {rfcdate(s.date)}\nMIME-Version: 1.0\n'
        out += f'Message-ID: <0100{ctx.hexid(14)}-{ctx.hexid(8)}-{ctx.hexid(4)}-{ctx.hexid(4)}-{ctx.hexid(4)}-{ctx.hexid(12)}-000000@email.amazonses.com>\nContent-Type: text/plain; charset=UTF-8\n\n'
        out += f'Your message could not be delivered to the following recipients:\n\n{s.addr}\n\nThe mail server of the recipient responded with:\n{reply(s)}\n\n'
        mode = M.orig_mode(s, 'headers')
        if mode: out += '----- Original message headers -----\n\n' + s.original('headers')
        return out
    b = '%s-%s' % (ctx.hexid(10), ctx.hexid(6))
    out = s.top(host, '54.240.%d.%d' % (ctx.rnd.randrange(1, 50), ctx.rnd.randrange(2, 250)))
    out += f'From: MAILER-DAEMON@amazonses.com\nTo: {s.to_header()}\nSubject: Delivery Status Notification (Failure)\nDate: {rfcdate(s.date)}\nMIME-Version: 1.0\n'
    out += f'Message-ID: <0100{ctx.hexid(14)}-{ctx.hexid(8)}-{ctx.hexid(4)}-{ctx.hexid(4)}-{ctx.hexid(4)}-{ctx.hexid(12)}-000000@email.amazonses.com>\n'
    out += f'Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="{b}"\nX-SES-Outgoing: {s.date.strftime("%Y.%m.%d")}-54.240.8.{ctx.rnd.randrange(2, 250)}\nFeedback-ID: 1.{region}.{ctx.alnum(20)}=:AmazonSES\n\n'
    out += f'--{b}\ncontent-type: text/plain;\n    charset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n\n'
    out += qp(f'An error occurred while trying to deliver the mail to the following recipients:\n{s.addr}') + '\n'
    out += f'--{b}\ncontent-type: message/delivery-status\n\nReporting-MTA: dns; {host}\n\nAction: failed\nFinal-Recipient: rfc822; {s.addr}\n'
    out += fold('Diagnostic-Code', 'smtp; ' + reply(s)) + f'\nStatus: {s.status}\n'
    if 'suppression' not in s.text: out += f'Remote-MTA: dns; {s.mx}. {s.mxip} smtp\n'
    mode = M.orig_mode(s, 'full')
    if mode:
        out += f'\n--{b}\ncontent-type: message/rfc822\n\n' + s.original(mode)
    out += f'\n--{b}--\n'
    return out
def _ses_pool():
    p = dict(REPLIES); p.update(SES_EXTRA); return p
ses.opts = lambda r, p, sp: {'pool': _ses_pool()}
def workmail(s): return ses(s, workmail=True)
workmail.opts = ses.opts

# ---------------------------------------------------------------------------------------------- GMX / Web.de
GMX = {
    'user-unknown': [('550', '', 'Requested action not taken: mailbox unavailable'), ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown')],
    'mailbox-full': [('552', '', 'Requested mail action aborted: exceeded storage allocation'), ('452', '4.2.2', 'Mailbox full')],
    'blocked': [('554', '', 'gmx.net (mxgmx117) Nemesis ESMTP Service not available No SMTP service IP address is black listed. For explanation visit https://www.gmx.net/mail/senderguidelines?c=bl')],
    'content': [('554', '', 'Transaction failed Reject due to policy restrictions. For explanation visit https://www.gmx.net/mail/senderguidelines?c=pr')],
    'policy': [('550', '5.7.1', 'Unauthenticated email is not accepted from this domain. For explanation visit https://www.gmx.net/mail/senderguidelines?c=ua')],
    'mailbox-disabled': [('550', '5.2.1', 'Mailbox disabled for this recipient')],
}
def gmx(s):
    ctx, r = s.ctx, s.reason
    dom = 'web.de' if s.domain == 'web.de' else 'gmx.net'
    host = 'mout.%s' % dom
    german = s.special == 'de'
    if r == 'host-unknown':
        s.diag = ('', '5.1.2', 'Domain not found' if not german else 'Domain existiert nicht')
        why = f'{s.addr}:\n{"Die Domain" if german else "Domain"} {s.domain} {"existiert nicht (DNS: NXDOMAIN)" if german else "does not exist (DNS: NXDOMAIN)"}'
    else:
        why = f'{s.addr}:\nSMTP error from remote server for RCPT TO command, host: {s.mx} ({s.mxip}) reason: {reply(s)}'
    out = s.top(host, '212.227.%d.%d' % (ctx.rnd.randrange(15, 17), ctx.rnd.randrange(2, 250)))
    out += f'From: Mail Delivery System <mailer-daemon@{dom}>\nTo: {s.to_header()}\nSubject: {enc("Unzustellbar: " + SUBJECT) if german else "Mail delivery failed: returning message to sender"}\nDate: {rfcdate(s.date)}\n'
    out += f'Message-Id: <{ctx.alnum(16)}@{host}>\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n'
    if german:
        body = ('Dies ist eine automatisch erstellte Benachrichtigung über den Zustellstatus.\n\nIhre Nachricht konnte an einen oder mehrere Empfänger nicht zugestellt werden.\n'
                'Dies ist ein permanenter Fehler. Folgende Adresse(n) schlug(en) fehl:\n\n' + why + '\n\n' +
                {'user-unknown': 'Der Empfänger ist unbekannt. Bitte überprüfen Sie die Adresse.', 'mailbox-full': 'Das Postfach des Empfängers ist voll.',
                 'host-unknown': 'Die Domain des Empfängers existiert nicht.', 'blocked': 'Die Nachricht wurde abgelehnt, weil die IP-Adresse des Absenders gesperrt ist.',
                 'content': 'Die Nachricht wurde wegen Spamverdacht abgelehnt.'}.get(r, 'Die Nachricht wurde abgelehnt.') + '\n\n')
        out += 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n' + qp(body)
        hdr = '--- Der Kopf der ursprünglichen Nachricht folgt. ---\n\n'
        if M.orig_mode(s, 'headers'): out += qp(hdr) + s.original('headers')
        return out
    out += 'Content-Type: text/plain; charset=us-ascii\n\n'
    out += ('This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of\n'
            'its recipients. This is a permanent error. The following address(es)\nfailed:\n\n' + why + '\n\n')
    if M.orig_mode(s, 'headers'): out += '--- The header of the original message is following. ---\n\n' + s.original('headers')
    return out
gmx.opts = lambda r, p, sp: {'pool': GMX, 'domains': PROVIDERS['gmx'] if r != 'host-unknown' else DEAD}

# ---------------------------------------------------------------------------------------------- mail.ru / Yandex
MAILRU = {
    'user-unknown': [('550', '', 'Message was not accepted -- invalid mailbox.  Local mailbox {a} is unavailable: user not found'), ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown')],
    'mailbox-disabled': [('550', '', 'Message was not accepted -- invalid mailbox.  Local mailbox {a} is unavailable: account is disabled')],
    'mailbox-full': [('452', '', 'Message was not accepted -- mailbox is full.  Local mailbox {a} is over quota'), ('552', '5.2.2', 'Mailbox size limit exceeded')],
    'content': [REPLIES['content'][6]],
    'blocked': [('550', '', 'Message was not accepted. Sender IP {ip} is blocked. Please visit https://help.mail.ru/notspam-support/id?c=Ab3kRTy')],
    'policy': [('550', '', 'Message rejected: DMARC policy of verdicts.example.com is reject (see https://help.mail.ru/mail/security/dmarc)')],
}
MAILRU_RU = {'user-unknown': 'Адрес получателя не существует.', 'mailbox-disabled': 'Почтовый ящик получателя заблокирован.',
             'mailbox-full': 'Почтовый ящик получателя переполнен.', 'content': 'Письмо похоже на спам и было отклонено.',
             'host-unknown': 'Домен получателя не существует.', 'blocked': 'IP-адрес отправителя заблокирован.', 'policy': 'Письмо отклонено политикой DMARC домена отправителя.'}
def mailru(s):
    ctx, r = s.ctx, s.reason
    host = 'f%d.i.mail.ru' % ctx.rnd.randrange(100, 999) if ctx.rnd.random() < 0.5 else 'smtp%d.mail.ru' % ctx.rnd.randrange(10, 60)
    if r == 'host-unknown':
        s.diag = ('', '5.0.0', 'Unrouteable address'); tech = f'{s.addr}\n    Unrouteable address'
    else:
        tech = f'SMTP error from remote mail server after RCPT TO:<{s.addr}>:\nhost {s.mx} [{s.mxip}]: {reply(s)}'
    ru = ('Это письмо создано автоматически сервером Mail.Ru, отвечать на него не нужно.\n\n'
          f'К сожалению, Ваше письмо не может быть доставлено одному или нескольким получателям:\n\n{s.addr}\n\n'
          f'{MAILRU_RU.get(r, "Письмо не может быть доставлено.")}\n\nРекомендуем Вам проверить корректность указания адресов получателей.\n\n'
          f'{tech}\n\n')
    out = s.top(host, '94.100.%d.%d' % (ctx.rnd.randrange(176, 180), ctx.rnd.randrange(2, 250)))
    out += f'Received: from mail by {host} with local \n\tid 1{ctx.alnum(5)}-{ctx.alnum(6)}-{ctx.alnum(2)}\n\tfor {s.envelope_sender}; {rfcdate(s.date)}\n'
    out += f'X-Failed-Recipients: {s.addr}\nAuto-Submitted: auto-replied\nFrom: Mail Delivery System <MAILER-DAEMON@corp.mail.ru>\nTo: {s.to_header()}\n'
    out += f'Subject: {enc("Не удалось доставить письмо") if ctx.rnd.random() < 0.6 else "Mail failure."}\nDate: {rfcdate(s.date, 3)}\nMIME-Version: 1.0\n'
    b = 'mailru-' + ctx.hexid(12)
    mode = M.orig_mode(s, 'full')
    out += f'Content-Type: multipart/mixed; boundary="{b}"\n\n--{b}\nContent-Type: text/plain; charset=utf-8\n'
    if ctx.rnd.random() < 0.5: out += 'Content-Transfer-Encoding: base64\n\n' + b64(ru)
    else: out += 'Content-Transfer-Encoding: 8bit\n\n' + ru
    if mode: out += f'\n--{b}\nContent-Type: message/rfc822\n\n' + s.original(mode)
    out += f'\n--{b}--\n'
    return out
mailru.opts = lambda r, p, sp: {'pool': MAILRU, 'domains': PROVIDERS['mailru'] if r != 'host-unknown' else DEAD}

YANDEX = {
    'user-unknown': [SPECIFIC['yandex571'], ('550', '5.7.1', 'No such user!'), ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown in local recipient table')],
    'mailbox-full': [('552', '5.2.2', 'Mailbox size limit exceeded'), ('452', '4.2.2', 'Mailbox size limit exceeded')],
    'content': [REPLIES['content'][7]],
    'policy': [('550', '5.7.1', 'Policy rejection on the target address: sender domain fails DMARC')],
    'blocked': [('554', '5.7.1', 'Message rejected under suspicion of SPAM from {ip}: sender IP is blocked')],
    'mailbox-disabled': [('550', '5.2.1', 'Mailbox {a} is disabled')],
}
YANDEX_RU = {'user-unknown': 'Такого адреса не существует.', 'mailbox-full': 'Почтовый ящик получателя переполнен.', 'content': 'Письмо отклонено как подозрительное на спам.',
             'policy': 'Письмо отклонено политикой получателя.', 'host-unknown': 'Домен получателя не найден.', 'blocked': 'IP-адрес отправителя заблокирован.', 'mailbox-disabled': 'Ящик получателя отключён.'}
def yandex(s):
    ctx, r = s.ctx, s.reason
    host = 'forward%d%s.mail.yandex.net' % (ctx.rnd.randrange(100, 500), ctx.rnd.choice(['a', 'b', 'c', 'd']))
    if r == 'host-unknown':
        s.diag = ('', '5.4.4', f'Host or domain name not found. Name service error for name={s.domain} type=MX: Host not found')
        line = f'<{s.addr}>: {s.text}'; dtype = 'X-Postfix'
    else:
        line = f'<{s.addr}>: host {s.mx}[{s.mxip}] said: {reply(s)} (in reply to {M.cmd_for(s)} command)'; dtype = 'smtp'
    b = f'{ctx.alnum(10)}.{int(s.date.timestamp())}/{host}'
    ru = (f'Это письмо отправлено почтовым роботом. Пожалуйста, не отвечайте на него.\n\nВаше письмо не удалось доставить по адресу {s.addr}.\n'
          f'{YANDEX_RU.get(r, "Письмо не доставлено.")}\n\n')
    en = (f'This is the mail system at host {host}.\n\nI\'m sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It\'s attached below.\n\n'
          f'                   The mail system\n\n{wrap(line, 76)}\n')
    out = s.top(host, '178.154.%d.%d' % (ctx.rnd.randrange(200, 250), ctx.rnd.randrange(2, 250)))
    out += f'Date: {rfcdate(s.date, 3)}\nFrom: mailer-daemon@yandex.ru\nSubject: {enc("Недоставленное сообщение")}\nTo: {s.to_header()}\nAuto-Submitted: auto-replied\n'
    out += f'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary="{b}"\nMessage-Id: <{ctx.hexid(16)}@{host}>\n\n'
    out += f'--{b}\nContent-Description: Notification\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n' + b64(ru + en)
    out += f'\n--{b}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n'
    out += dsn_fields(s, host, diag=(s.text if dtype == 'X-Postfix' else None), diag_type=dtype, remote=dtype == 'smtp')
    mode = M.orig_mode(s, 'headers')
    if mode: out += f'\n--{b}\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n' + s.original('headers')
    out += f'\n--{b}--\n'
    return out
yandex.opts = lambda r, p, sp: {'pool': YANDEX, 'domains': PROVIDERS['yandex'] if r != 'host-unknown' else DEAD}

# ---------------------------------------------------------------------------------------------- Zoho
ZOHO = {
    'user-unknown': [('550', '5.1.1', 'User does not exist - <{a}>'), ('550', '', 'Requested action not taken: mailbox unavailable'), ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown')],
    'mailbox-full': [('552', '5.2.2', 'Mailbox size limit exceeded'), ('452', '4.2.2', 'Mailbox is full')],
    'content': [('554', '5.7.1', 'Message rejected due to content policy')],
    'policy': [('550', '5.7.1', 'Email rejected per DMARC policy for verdicts.example.com')],
    'blocked': [('550', '5.7.1', 'Unusual sending activity from your IP {ip}: blocked')],
}
def zoho(s):
    ctx, r = s.ctx, s.reason
    host = 'mx.zohomail.com' if ctx.rnd.random() < 0.5 else 'sender%d.zoho.com' % ctx.rnd.randrange(1, 9)
    if r == 'host-unknown':
        s.diag = ('', '5.1.2', 'Domain does not exist'); line = f'{s.addr}, ERROR CODE :550 - Domain does not exist'
    else:
        line = f'{s.addr}, ERROR CODE :{s.diag[0]} - {(s.diag[1] + " ") if s.diag[1] else ""}{s.text}'
    old = ctx.rnd.random() < 0.5
    if old and s.diag[0] == '550' and 'mailbox unavailable' in s.text:
        line = f'{s.addr} Invalid Address, ERROR_CODE :550, ERROR_CODE :{s.text}'
    out = s.top(host, '136.143.%d.%d' % (ctx.rnd.randrange(160, 190), ctx.rnd.randrange(2, 250)))
    out += f'From: Mail Delivery System <MAILER-DAEMON@{host}>\nTo: {s.to_header()}\nSubject: Undelivered Mail Returned to Sender\nDate: {rfcdate(s.date)}\nMessage-ID: <{ctx.hexid(20)}@{host}>\nMIME-Version: 1.0\n'
    out += 'Content-Type: text/plain; charset=UTF-8\n\n'
    out += ('This message was created automatically by mail delivery software.\nA message that you sent could not be delivered to one or more of its recipients. This is a permanent error.\n\n'
            + line + '\n\n')
    mode = M.orig_mode(s, 'headers')
    if mode: out += 'Received: headers of the original message follow:\n\n' + s.original('headers')
    return out
zoho.opts = lambda r, p, sp: {'pool': ZOHO}

PLANS = {
    'gmail': (gmail, 'uu uu uu uu=gunknown/quoted uu/env-noorig hu md=gdisabled md mf=gfull mf tl ct=gmailspam ct bl po=dmarcgmail po=ptrgmail po=rfc5322 rl=gmailrate#4.2.1 receiving too fast: per-recipient rate ex nf:delayed uu/forged'),
    'google-workspace': (workspace, 'uu uu uu/quoted-rp md mf po=gadmin#recipient domain admin policy rl=dailylimit#5.4.5 daily sending limit of our account un:groups#Google Groups: missing or no permission ex ct oh#group moderation'),
    'office365': (office365, 'uu=msunknown uu=msunknown uu=dbeb#5.4.1 directory-based edge blocking = user unknown uu/quoted uu/env-noorig hu md mf mf/quoted-rp tl po=groupauth#5.7.133 group restriction po=dmarcms bl ct ex ex sy un oh#moderation expired'),
    'outlook-com': (outlookcom, 'uu=olc550#5.5.0 mailbox unavailable = user unknown at outlook.com uu uu/quoted hu mf mf bl=s3150 bl rl#4.7.650 rate limited by IP reputation po ct ex'),
    'exchange2010': (exchange2010, 'uu uu uu:de#German NDR uu:fr#French NDR uu/quoted mf mf:de tl po=msrestrict#5.7.1 restricted group, not the reader ex sy hu nf:delivered nf:relayed nf:delayed'),
    'exchange2003': (exchange2003, 'uu uu uu/quoted-rp hu mf po#5.7.1 permission: not the reader ex sy md tl'),
    'yahoo': (yahoo, 'uu uu uu uu/quoted uu/env-noorig md md mf#temporarily suspended or over quota mf bl=tss04#TSS04 deferral bl ct po hu ex uu:autosub#Auto-Submitted on a plain bounce'),
    'aol': (aol, 'uu uu uu md mf bl po uu:plain'),
    'icloud': (icloud, 'uu uu uu/quoted md mf ct po bl tl'),
    'amazon-ses': (ses, 'uu uu uu uu/quoted mf ct bl po ex ex un#SES suppression list: not proof the address is dead'),
    'amazon-workmail': (workmail, 'uu uu uu/quoted mf po ct'),
    'gmx': (gmx, 'uu uu uu:de#German uu/quoted mf mf:de bl ct hu:de po md'),
    'mail-ru': (mailru, 'uu uu uu/quoted md mf mf ct bl hu po'),
    'yandex': (yandex, 'uu=yandex571#5.7.1 that is user unknown uu uu/quoted mf ct po hu bl'),
    'zoho': (zoho, 'uu uu uu/quoted mf ct po hu'),
}
