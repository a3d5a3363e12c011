# More shapes: list servers holding or refusing our post (Mailman, Sympa), Orange (French ISP, Exim-based,
# bilingual OFR replies) and QQ Mail (Chinese text, frequency limits).
from core import *
import vendors_mta as M

def listserver(s):
    ctx, r, sp = s.ctx, s.reason, s.special
    # The reader here is a mailing list that subscribed to the digest.
    s.local = ctx.rnd.choice(['ai-news', 'ml-reading', 'devtools-digest', 'team-research', 'ai-watchers', 'lab-announce', 'tech-digest', 'infra-news'])
    s.addr = s.local + '@' + s.domain
    host = 'lists.' + s.domain
    out = s.top(host, ctx.ip('198.51.100.'))
    if sp == 'sympa':
        out += f'From: SYMPA <sympa@{host}>\nTo: {s.to_header()}\nSubject: Message for list {s.local} submitted to editor\nDate: {rfcdate(s.date)}\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n'
        out += (f'Your message for list {s.local}@{s.domain} has been forwarded to editor(s) for approval.\n\n'
                f'Subject: {SUBJECT}\n\nIt will be distributed if a moderator accepts it.\n')
        s.diag = None
        return out
    if r == 'on-hold':
        why = ctx.rnd.choice(['Post by non-member to a members-only list', 'Message has implicit destination', 'Message body is too big: 61244 bytes with a limit of 40 KB',
                              'Post to moderated list'])
        s.diag = None
        out += f'From: {s.local}-owner@{s.domain}\nTo: {s.to_header()}\nSubject: Your message to {s.local.capitalize()} awaits moderator approval\nDate: {rfcdate(s.date)}\n'
        out += f'Message-ID: <mailman.{ctx.rnd.randrange(100, 9999)}.{int(s.date.timestamp())}.{ctx.rnd.randrange(1000, 9999)}.{s.local}@{s.domain}>\nX-BeenThere: {s.addr}\nX-Mailman-Version: 2.1.39\nPrecedence: bulk\nList-Id: <{s.local}.{s.domain}>\n'
        out += 'MIME-Version: 1.0\nContent-Type: text/plain; charset="us-ascii"\nContent-Transfer-Encoding: 7bit\n\n'
        out += (f"Your mail to '{s.local.capitalize()}' with the subject\n\n    {SUBJECT}\n\nIs being held until the list moderator can review it for approval.\n\n"
                f"The reason it is being held:\n\n    {why}\n\nEither the message will get posted to the list, or you will receive\nnotification of the moderator's decision.  If you would like to cancel\n"
                f"this posting, please visit the following URL:\n\n    https://{host}/mailman/confirm/{s.local}/{ctx.hexid(40)}\n\n")
        return out
    if r == 'policy':
        s.diag = ('', '', 'Posting by non-members is not allowed; the moderator rejected the message')
        out += f'From: {s.local}-owner@{s.domain}\nTo: {s.to_header()}\nSubject: Request to mailing list {s.local.capitalize()} rejected\nDate: {rfcdate(s.date)}\nX-Mailman-Version: 2.1.39\n'
        out += 'MIME-Version: 1.0\nContent-Type: text/plain; charset="us-ascii"\n\n'
        out += (f'Your request to the {s.local.capitalize()} mailing list\n\n    Posting of your message titled "{SUBJECT}"\n\nhas been rejected by the list moderator.  The moderator gave the following\n'
                'reason for rejecting your request:\n\n"Non-members are not allowed to post to this list. Please do not send newsletters here."\n\n'
                'Any questions or comments should be directed to the list administrator\n'
                f'at:\n\n    {s.local}-owner@{s.domain}\n')
        return out
    if r == 'user-unknown':
        # Mailman 3 / Postfix: the list no longer exists.
        s.diag = ('550', '5.1.1', f'<{s.addr}>: Recipient address rejected: User unknown in local recipient table')
        return M.postfix(s)
    raise ValueError(r)
listserver.opts = lambda r, p, sp: {'domains': ['lists.example.org', 'groups.example.net', 'ml.example.com']}

ORANGE = {
    'user-unknown': [('550', '5.1.1', 'Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]'), ('550', '5.1.1', '<{a}>: Recipient address rejected: Utilisateur inconnu / User unknown')],
    'rate-limited': [('421', '', 'mwinf5c{n} ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]'),
                     ('421', '4.7.0', 'mwinf5c{n} ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR006_104 [104]')],
    'blocked': [('550', '5.7.1', 'mwinf5c{n} ME Service refuse. Adresse IP de l expediteur sur liste noire. Sender IP blacklisted. OFR_103 [103]')],
    'policy': [('550', '', 'mwinf5c{n} ME Adresse d expedition invalide. Invalid sender address. OFR_416 [416]')],
    'mailbox-full': [('552', '5.2.2', 'Boite du destinataire pleine. Recipient mailbox full. OFR_999 [999]')],
    'content': [('554', '5.7.1', 'mwinf5c{n} ME Message refuse: contenu considere comme spam. Message rejected as spam. OFR_506 [506]')],
}
def orange(s):
    ctx, r = s.ctx, s.reason
    host = 'smtp%02d.smtpout.orange.fr' % ctx.rnd.randrange(1, 30)
    if s.diag: s.diag = (s.diag[0], s.diag[1], s.diag[2].replace('{n}', '%02d' % ctx.rnd.randrange(1, 40)))
    if r == 'expired':
        s.diag = ('', '4.0.0', 'retry timeout exceeded'); why = f'  {s.addr}\n    retry timeout exceeded'
    else:
        why = f'  {s.addr}\n    host {s.mx} [{s.mxip}]\n    SMTP error from remote mail server after RCPT TO:<{s.addr}>:\n    {reply(s)}'
    out = s.top(host, '80.12.242.%d' % ctx.rnd.randrange(2, 250))
    out += f'X-Failed-Recipients: {s.addr}\nAuto-Submitted: auto-replied\nFrom: Mail Delivery System <MAILER-DAEMON@orange.fr>\nTo: {s.to_header()}\n'
    out += f'Subject: {enc("Échec de la remise : renvoi du message à l’expéditeur")}\nDate: {rfcdate(s.date, 1)}\nMessage-Id: <E1{ctx.alnum(5)}-{ctx.alnum(6)}@{host}>\nMIME-Version: 1.0\n'
    out += 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n'
    body = ('Ce message a été créé automatiquement par le logiciel de distribution du courrier.\n\n'
            'Un message que vous avez envoyé n’a pas pu être remis à un ou plusieurs de ses\ndestinataires. Il s’agit d’une erreur permanente. La ou les adresses suivantes ont échoué :\n\n'
            + why + '\n')
    out += qp(body)
    if M.orig_mode(s, 'headers'): out += '\n------ Ceci est une copie des en-têtes du message. ------\n\n' + s.original('headers')
    return out
orange.opts = lambda r, p, sp: {'pool': ORANGE, 'domains': ['orange.fr', 'wanadoo.fr']}

QQ = {
    'user-unknown': [('550', '', 'Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728'),
                     ('550', '', 'Mailbox not found. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728')],
    'rate-limited': [('550', '', 'Ip frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722'),
                     ('451', '', 'Connection frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722')],
    'content': [('550', '', 'Mail content denied. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726')],
    'mailbox-full': [('552', '', 'Quota exceeded. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000731')],
    'blocked': [('550', '', 'Ip blocked by system. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000725')],
    'policy': [('550', '', 'Domain has no valid SPF or DMARC policy. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1002304')],
}
QQ_ZH = {'user-unknown': '收件人邮箱地址不存在。', 'rate-limited': '发送频率过高，请稍后再试。', 'content': '邮件内容被拒绝。',
         'mailbox-full': '收件人邮箱空间已满。', 'blocked': '发件人IP被系统拦截。', 'policy': '发件域名没有有效的SPF或DMARC记录。'}
def qq(s):
    ctx, r = s.ctx, s.reason
    host = 'smtpbg%d.qq.com' % ctx.rnd.randrange(100, 999)
    body = (f'此邮件是由系统自动发送的退信通知，请勿直接回复。\n\n很抱歉您发送的邮件被退回，以下是该邮件的相关信息：\n\n收件人：{s.addr}\n'
            f'退信原因：{QQ_ZH[r]}\n\n----- 技术信息 -----\nThis is the mail system at host {host}.\n\n<{s.addr}>: host {s.mx}[{s.mxip}] said: {reply(s)}\n')
    b = '----=_NextPart_' + ctx.hexid(8).upper() + '_' + ctx.hexid(8).upper()
    out = s.top(host, '54.204.34.%d' % ctx.rnd.randrange(2, 250))
    out += f'From: "Mail Delivery System" <MAILER-DAEMON@qq.com>\nTo: {s.to_header()}\nSubject: {enc("退信：" + SUBJECT)}\nDate: {rfcdate(s.date, 8)}\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n'
    out += f'Message-ID: <tencent_{ctx.hexid(24).upper()}@qq.com>\nContent-Type: multipart/mixed; boundary="{b}"\n\n--{b}\nContent-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: base64\n\n' + b64(body)
    if M.orig_mode(s, 'headers'): out += f'\n--{b}\nContent-Type: text/rfc822-headers\n\n' + s.original('headers')
    out += f'\n--{b}--\n'
    return out
qq.opts = lambda r, p, sp: {'pool': QQ, 'domains': ['qq.com', 'foxmail.com', 'vip.qq.com']}

SPECIFIC['qqip'] = QQ['rate-limited'][0]

PLANS = {
    'listserver': (listserver, 'oh oh oh#list moderation: held, not refused oh oh:sympa#Sympa: forwarded to editor po#moderator rejected: not the reader uu#the list address is gone'),
    'orange': (orange, 'uu uu uu/quoted rl=ofr005#OFR005 too many connections rl bl po#OFR_416 invalid sender: ours, not the reader mf ct ex'),
    'qq': (qq, 'uu uu uu/quoted rl=qqip#Ip frequency limited: 550 but rate rl ct mf bl po'),
}
