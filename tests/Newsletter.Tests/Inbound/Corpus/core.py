# Shared pieces of make-corpus.py: tokens, addresses, the quoted original, reply pools, DSN parts.
import os, sys, random, textwrap, base64, quopri, datetime, email.utils
from email.header import Header
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verp_token import tok

ISSUE = 5
OURIP = '192.0.2.10'
OURMX = 'mx.verdicts.example.com'
OURHOST = 'out1.verdicts.example.com'
DOMAIN = 'verdicts.example.com'
SUBJECT = 'AI Tool Verdicts #5: Mistral 4B Edge vs Modal GPU'
SENT = datetime.datetime(2026, 11, 30, 9, 0, 2, tzinfo=datetime.timezone.utc)

def T(sub): return tok('b', ISSUE, sub)
def B(sub): return 'bounces+%s@%s' % (T(sub), DOMAIN)
def U(sub): return 'bounces+u-%s@%s' % (tok('u', ISSUE, sub), DOMAIN)
PLAIN = 'bounces@' + DOMAIN

def forged_token(sub):
    t = T(sub)
    return t[:-4] + ('aaaa' if t[-4:] != 'aaaa' else 'bbbb')

def rfcdate(dt, tz=0):
    return email.utils.format_datetime(dt.astimezone(datetime.timezone(datetime.timedelta(hours=tz))))

def enc(text):
    try:
        text.encode('ascii'); return text
    except UnicodeEncodeError:
        return Header(text, 'utf-8').encode()

def b64(text):
    raw = base64.b64encode(text.encode('utf-8')).decode()
    return '\n'.join(raw[i:i + 76] for i in range(0, len(raw), 76)) + '\n'

def qp(text):
    return quopri.encodestring(text.encode('utf-8')).decode()

def wrap(text, width=72, indent='    ', first=0):
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False, initial_indent=' ' * first)
    if first:
        lines[0] = lines[0][first:]
    return ('\n' + indent).join(lines)

def fold(name, value, width=76):
    """A header folded with leading whitespace as MTAs write DSN fields."""
    return wrap(name + ': ' + value, width, '    ')

FIRST = ['alex', 'sam', 'robin', 'kim', 'jo', 'maria', 'lena', 'tomas', 'priya', 'chen', 'fatima', 'olga', 'ivan', 'noah',
         'emma', 'lucas', 'mia', 'aiko', 'omar', 'sofia', 'jonas', 'anna', 'li', 'rahul', 'ines', 'pavel', 'zoe', 'ben',
         'clara', 'david', 'elif', 'felix', 'greta', 'hugo', 'ida', 'jan', 'karin', 'leo', 'nora', 'oskar', 'petra', 'quinn',
         'rosa', 'sven', 'tara', 'ugo', 'vera', 'wen', 'yusuf', 'dmitri', 'svetlana', 'katja', 'marek', 'nadia', 'ravi']
LAST = ['meyer', 'schmidt', 'novak', 'garcia', 'kowalski', 'tanaka', 'haddad', 'ivanova', 'petrov', 'okafor', 'lindqvist',
        'rossi', 'dubois', 'nguyen', 'silva', 'jansen', 'fischer', 'moreau', 'keller', 'berg', 'larsen', 'sato', 'kaur',
        'smirnov', 'weber', 'costa', 'horvat', 'ali', 'brown', 'walsh', 'oconnor', 'virtanen', 'popescu', 'yilmaz']
GENERIC = ['example.com', 'example.org', 'example.net', 'mail.example.com', 'corp.example.org', 'acme.example.net',
           'contoso.example', 'fabrikam.example', 'northwind.example', 'uni.example.org', 'lab.example.net',
           'studio.example.com', 'agency.example.org', 'home.example.net', 'startup.example']
DEAD = ['gone-company.example', 'old-isp.example.net', 'exmaple.example', 'closed.example.org', 'typo-domian.example',
        'nowhere.example.net', 'expired-startup.example', 'example.invalid']
PROVIDERS = {
    'google': ['gmail.com', 'gmail.com', 'googlemail.com'],
    'microsoft': ['outlook.com', 'hotmail.com', 'live.com', 'hotmail.co.uk', 'outlook.de'],
    'yahoo': ['yahoo.com', 'yahoo.com', 'yahoo.co.uk', 'ymail.com'],
    'aol': ['aol.com', 'aol.com', 'aim.com'],
    'apple': ['icloud.com', 'me.com', 'mac.com'],
    'gmx': ['gmx.de', 'gmx.net', 'web.de', 'gmx.at'],
    'mailru': ['mail.ru', 'bk.ru', 'inbox.ru', 'list.ru'],
    'yandex': ['yandex.ru', 'ya.ru', 'yandex.com'],
    'zoho': ['zohomail.com', 'zoho.com'],
}

class Ctx:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.used = set()
        self.cycles = {}
    def local(self):
        r = self.rnd
        f, l = r.choice(FIRST), r.choice(LAST)
        pat = r.randrange(6)
        return [f + '.' + l, f[0] + l, f + '_' + l + str(r.randrange(10, 99)), f + str(r.randrange(1970, 2006)), f + l[:3], l + '.' + f][pat]
    def address(self, domains):
        while True:
            a = self.local() + '@' + self.rnd.choice(domains)
            if a not in self.used:
                self.used.add(a); return a
    def cycle(self, key, items):
        """Each entry of a pool in turn (shuffled once), so a kind's samples use different diagnostics."""
        if key not in self.cycles or not self.cycles[key][1]:
            lst = list(range(len(items))); self.rnd.shuffle(lst)
            self.cycles[key] = (items, lst)
        return items[self.cycles[key][1].pop()]
    def hexid(self, n): return ''.join(self.rnd.choice('0123456789abcdef') for _ in range(n))
    def alnum(self, n): return ''.join(self.rnd.choice('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789') for _ in range(n))
    def gsmtp(self):
        return '%s-%s.%d - gsmtp' % (self.rnd.choice(['41be03b00d2f7', 'd75a77b69052e', '5b1f17b1804b1', 'a640c23a62f3a']),
                                     self.alnum(12).lower() + 'si' + str(self.rnd.randrange(100000, 999999)) + self.alnum(3).lower(), self.rnd.randrange(1, 9))
    def msid(self):
        return '%s%s.%s.prod.protection.outlook.com' % (self.rnd.choice(['BN1NAM02FT', 'DB5EUR03FT', 'AM4PEPF0000', 'CO1PEPF0000', 'SN1PEPF0002']),
                                                        self.rnd.randrange(10, 999), self.rnd.choice(['eop-nam02', 'eop-EUR03', 'namprd04', 'eurprd05']))
    def mcid(self):
        return self.alnum(22).replace('0', 'x') + '.uk' + str(self.rnd.randrange(100, 400))
    def ip(self, prefix='203.0.113.'):
        return prefix + str(self.rnd.randrange(2, 250))

# ------------------------------------------------------------------------------------------------------
# What receiving servers answer, by reason: (code, enhanced status or '', text). {a} the reader's address,
# {d} its domain, {ip} our sending IP, {gid} a Gmail trace id, {ms} a Microsoft host, {mc} a Mimecast id,
# {env} our envelope sender. The family decides which domains such a server serves.
REPLIES = {
'user-unknown': [
    ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown in virtual mailbox table'),
    ('550', '5.1.1', '<{a}>: Recipient address rejected: User unknown in local recipient table'),
    ('550', '5.1.1', "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser {gid}"),
    ('550', '5.1.1', 'User unknown'),
    ('550', '5.1.1', '<{a}>... User unknown'),
    ('550', '5.1.1', 'Mailbox does not exist'),
    ('550', '', 'No such user here'),
    ('550', '5.1.1', '{a}: unknown user'),
    ('550', '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'),
    ('550', '5.5.0', 'Requested action not taken: mailbox unavailable (S2017062302). [{ms}]'),
    ('550', '5.4.1', 'Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors [{ms}]'),
    ('550', '5.7.1', 'No such user!'),
    ('553', '5.3.0', '<{a}>... No such user'),
    ('511', '', 'sorry, no mailbox here by that name (#5.1.1 - chkuser)'),
    ('550', '', 'Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [{mc}]'),
    ('550', '5.1.1', '<{a}>: Recipient address rejected: Mailbox not found'),
    ('550', '', 'Requested action not taken: mailbox unavailable'),
    ('550', '5.1.1', 'Message was not accepted -- invalid mailbox.  Local mailbox {a} is unavailable: user not found'),
    ('554', '', 'delivery error: dd This user doesn\'t have a {d} account ({a}) [0] - mta1021.mail.ne1.yahoo.com'),
    ('550', '5.1.1', '<{a}>: user does not exist'),
    ('550', '5.1.1', 'User does not exist - <{a}>'),
],
'mailbox-disabled': [
    ('550', '5.2.1', 'The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser {gid}'),
    ('550', '5.2.1', '<{a}>: Recipient address rejected: account disabled'),
    ('554', '5.2.1', 'Mailbox disabled, not accepting messages'),
    ('550', '5.2.1', 'Account {a} has been closed'),
    ('550', '', 'Message was not accepted -- invalid mailbox.  Local mailbox {a} is unavailable: account is disabled'),
    ('554', '30', 'Sorry, your message to {a} cannot be delivered.  This mailbox is disabled (554.30).'),
    ('550', '5.2.1', '<{a}>: this account has been permanently deactivated'),
    ('550', '5.2.1', 'mailbox {a} is closed, the user has left the organisation'),
],
'mailbox-full': [
    ('552', '5.2.2', 'Mailbox full'),
    ('452', '4.2.2', "The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp {gid}"),
    ('552', '5.2.2', "The recipient's inbox is out of storage space and inbound mail cannot be delivered. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm {gid}"),
    ('552', '5.2.2', '<{a}>: Recipient address rejected: Quota exceeded'),
    ('452', '4.2.2', 'Over quota'),
    ('550', '5.2.2', '{a}... Mailbox full'),
    ('554', '5.2.2', 'mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded'),
    ('522', '', 'sorry, recipient mailbox is full (#5.2.2)'),
    ('550', '5.2.1', 'Mailbox temporarily suspended'),
    ('552', '5.2.2', 'Mailbox size limit exceeded'),
    ('550', '5.2.1', '<{a}>: mailbox is temporarily disabled: over quota for 30 days'),
    ('452', '4.2.2', '<{a}>: user is over quota'),
    ('550', '5.2.0', 'Mailbox unavailable, mailbox is suspended'),
],
'message-too-large': [
    ('552', '5.3.4', 'Message size exceeds fixed maximum message size'),
    ('552', '5.2.3', 'Message size exceeds maximum permitted'),
    ('552', '5.3.4', 'Error: message file too big'),
    ('552', '5.2.3', "Your message exceeded Google's message size limits. Please visit https://support.google.com/mail/?p=MaxSizeError to view our size guidelines. {gid}"),
    ('554', '5.3.4', 'Message too big for system'),
    ('550', '5.2.3', 'RESOLVER.RST.RecipSizeLimit; message too large for this recipient'),
],
'content': [
    ('550', '5.7.1', '[{ip}] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. Please visit https://support.google.com/mail/?p=UnsolicitedMessageError to review our Bulk Email Senders Guidelines. {gid}'),
    ('554', '5.7.1', 'Message rejected because of content restrictions'),
    ('550', '5.7.1', 'Message rejected as spam by Content Filtering.'),
    ('550', '', 'High probability of spam'),
    ('552', '5.7.0', 'This message was blocked because its content presents a potential security issue. Please visit https://support.google.com/mail/?p=BlockedMessage to review our message content and attachment content guidelines. {gid}'),
    ('550', '5.7.350', 'Remote server returned message detected as spam -> 554 5.7.1 Message rejected'),
    ('550', '', 'spam message rejected. Please visit https://help.mail.ru/notspam-support/id?c=Xm1aBcDeFgHiJkLm or report details to abuse@corp.mail.ru. Error code: 8D42A1C3F0.'),
    ('554', '5.7.1', '[2] Message rejected under suspicion of SPAM; https://ya.cc/1IrBc 1764493206-aBcDeFgH1a-ZyXw'),
    ('554', '', 'Message not allowed - [PH01] Email not accepted for policy reasons.  Please visit https://postmaster.yahooinc.com/error-codes'),
    ('554', '5.7.1', '[CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137'),
    ('550', '', 'permanent failure for one or more recipients ({a}:blocked)'),
    ('554', '5.7.1', 'Message blocked due to spam content in the message.'),
    ('554', '', 'Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554 [{mc}]'),
    ('550', '5.7.1', 'Message score too high (spam score 11.4, threshold 5.0)'),
    ('554', '5.7.1', 'Rejected: message contains a URL listed at dbl.spamhaus.org'),
],
'blocked': [
    ('554', '5.7.1', 'Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}'),
    ('550', '5.7.1', "Unfortunately, messages from [{ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [{ms}]"),
    ('550', '5.7.1', "Unfortunately, messages from [{ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [{ms}]"),
    ('550', '5.7.606', 'Access denied, banned sending IP [{ip}]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430) [{ms}]'),
    ('554', '', 'Service unavailable; Client host [{ip}] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?pr=1&ip={ip}'),
    ('554', '5.7.0', 'Blocked - see https://ipcheck.proofpoint.com/?ip={ip}'),
    ('550', '5.7.1', "Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means."),
    ('421', '4.7.0', '[TSS04] Messages from {ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes'),
    ('553', '5.7.2', '[TSS09] All messages from {ip} will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes'),
    ('550', '', 'Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550 [{mc}]'),
    ('421', '4.7.28', '[{ip}] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. Please visit https://support.google.com/mail/?p=UnsolicitedRateLimitError to review our Bulk Email Senders Guidelines. {gid}'),
    ('554', '5.7.1', 'Service unavailable; Sender address [digest@verdicts.example.com] blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/verdicts.example.com'),
    ('550', '5.7.1', 'Client host rejected: {ip} is listed on bl.spamcop.net'),
    ('554', '5.7.1', 'Mail from {ip} refused: poor sender reputation (SenderScore 12)'),
],
'policy': [
    ('550', '5.7.26', "Unauthenticated email from verdicts.example.com is not accepted due to domain's DMARC policy. Please contact the administrator of verdicts.example.com domain if this was a legitimate mail. To learn about the DMARC initiative, go to https://support.google.com/mail/?p=DmarcRejection {gid}"),
    ('550', '5.7.26', 'This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [verdicts.example.com] with ip: [{ip}] = did not pass For instructions on setting up authentication, go to https://support.google.com/mail/answer/81126#authentication {gid}'),
    ('550', '5.7.509', 'Access denied, sending domain verdicts.example.com does not pass DMARC verification and has a DMARC policy of reject. [{ms}]'),
    ('550', '5.7.23', 'The message was rejected because of Sender Policy Framework violation'),
    ('550', '5.7.1', 'SPF check failed: {ip} is not allowed to send mail from verdicts.example.com'),
    ('550', '5.7.25', '[{ip}] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. As a policy, Gmail does not accept messages from IPs with missing PTR records. {gid}'),
    ('450', '4.7.1', 'Client host rejected: cannot find your reverse hostname, [{ip}]'),
    ('554', '5.7.1', '<{a}>: Relay access denied'),
    ('550', '5.7.1', '[{ip}] Messages missing a valid Message-ID header are not accepted. {gid}'),
    ('550', '5.7.1', '[{ip}] This message is not RFC 5322 compliant. To reduce the amount of spam sent to Gmail, this message has been blocked. Please visit https://support.google.com/mail/?p=RfcMessageNonCompliant and review RFC 5322 specifications for more information. {gid}'),
    ('554', '5.7.9', 'Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes'),
    ('550', '5.1.8', '<{env}>: Sender address rejected: Domain not found'),
    ('550', '5.7.1', 'Email rejected per DKIM policy'),
    ('550', '5.7.1', 'Message rejected: DKIM signature verification failed (body hash did not verify)'),
    ('550', '', 'Rejected by header based Anti-Spoofing policy: {a} - https://community.mimecast.com/docs/DOC-1369#550 [{mc}]'),
    ('553', '', 'SPF (Sender Policy Framework) domain authentication fail. Refer to the Troubleshooting page at http://www.symanteccloud.com/troubleshooting for more details. (#5.7.1)'),
    ('550', '5.7.1', 'RESOLVER.RST.NotAuthorized; not authorized to send to this recipient'),
    ('550', '5.7.133', 'RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group'),
    ('550', '5.7.520', 'Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)'),
    ('550', '5.7.1', 'The user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent. Please contact your domain administrator for further details. For more information, go to https://support.google.com/a/answer/172179 {gid}'),
    ('550', '5.7.0', 'Local policy violation: sender domain verdicts.example.com fails DMARC (p=reject)'),
],
'rate-limited': [
    ('421', '4.7.0', 'Too many connections from your IP ({ip})'),
    ('421', '4.7.0', 'Try again later, closing connection. (EHLO) {gid}'),
    ('450', '4.2.1', 'The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. If the user is able to receive mail at that time, your message will be delivered. For more information, go to https://support.google.com/mail/?p=ReceivingRatePerm {gid}'),
    ('452', '4.5.3', 'Too many recipients'),
    ('451', '4.7.650', 'The mail server [{ip}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [{ms}]'),
    ('550', '5.4.5', 'Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852 {gid}'),
    ('421', '', 'Too many concurrent SMTP connections from this IP address; please try again later.'),
    ('450', '4.7.1', 'Error: too much mail from {ip}'),
    ('421', '4.7.0', 'mx.{d} Too many messages from your host, slow down'),
],
'system': [
    ('554', '5.4.14', 'Hop count exceeded - possible mail loop ATTR34 [{ms}]'),
    ('554', '5.4.6', 'Too many hops 26 (25 max)'),
    ('554', '5.3.0', 'Internal error: mailbox store unavailable'),
    ('550', '5.3.5', 'System incorrectly configured'),
    ('554', '5.3.2', 'System not accepting network messages'),
    ('552', '5.3.1', 'Mail system full'),
    ('554', '5.4.0', 'Error: routing failure for {d}: no route to host'),
],
'unknown': [
    ('554', '5.0.0', 'Service unavailable'),
    ('550', '', 'Rejected'),
    ('554', '', 'delivery error'),
    ('550', '5.0.0', 'Permanent failure'),
    ('550', '', 'Requested action not taken'),
    ('554', '5.0.0', 'Transaction failed'),
    ('550', '5.0.350', 'Remote server returned an error -> 550 Message rejected'),
],
}
# Replies that, after days of retries, end as "gave up": still reported with the last 4xx answer.
TEMPORARY_LAST = [
    ('451', '4.3.0', 'Mail server temporarily rejected message.'),
    ('450', '4.7.1', '<{a}>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/{d}.html'),
    ('421', '4.3.2', 'Service not available, closing transmission channel'),
    ('451', '4.4.0', 'DNS query failed'),
    ('451', '4.3.5', 'Server configuration problem'),
]

def family(text):
    t = text
    if '{gid}' in t or 'google' in t: return 'google'
    if '{ms}' in t or 'RESOLVER' in t or 'STOREDRV' in t or 'AS(' in t or '5.7.350' in t or 'live.com' in t: return 'microsoft'
    if 'yahoo' in t or '554.30' in t: return 'yahoo'
    if 'mail.ru' in t or 'Local mailbox' in t: return 'mailru'
    if 'ya.cc' in t or 'No such user!' in t: return 'yandex'
    if 'apple' in t or 'does not exist' in t and '<{a}>: user' in t: return 'apple'
    if 'mimecast' in t: return 'mimecast'
    if 'Barracuda' in t or ':blocked)' in t: return 'barracuda'
    if 'proofpoint' in t or 'spam content in the message' in t: return 'proofpoint'
    if 'symanteccloud' in t: return 'messagelabs'
    if 'chkuser' in t: return 'qmail'
    if 'User does not exist - ' in t: return 'zoho'
    return 'generic'

def domains_for(fam, reason):
    if reason == 'host-unknown': return DEAD
    if fam == 'google': return ['gmail.com', 'gmail.com', 'googlemail.com', 'startup.example', 'studio.example.com']
    if fam == 'microsoft': return ['outlook.com', 'hotmail.com', 'live.com', 'contoso.example', 'fabrikam.example']
    if fam in PROVIDERS: return PROVIDERS[fam]
    return GENERIC

def mx_for(fam, d, ctx):
    if fam == 'google': return 'gmail-smtp-in.l.google.com' if 'mail' in d else 'aspmx.l.google.com', '142.250.%d.%d' % (ctx.rnd.randrange(1, 200), ctx.rnd.randrange(2, 250))
    if fam == 'microsoft':
        if not d.startswith(('outlook.', 'hotmail.', 'live.', 'msn.')): return d.replace('.', '-') + '.mail.protection.outlook.com', '52.101.%d.%d' % (ctx.rnd.randrange(1, 200), ctx.rnd.randrange(2, 250))
        return d.replace('.', '-') + '.olc.protection.outlook.com', '52.101.%d.%d' % (ctx.rnd.randrange(1, 200), ctx.rnd.randrange(2, 250))
    if fam == 'yahoo': return 'mta%d.am0.yahoodns.net' % ctx.rnd.randrange(5, 7), '67.195.%d.%d' % (ctx.rnd.randrange(200, 230), ctx.rnd.randrange(2, 250))
    if fam == 'mailru': return 'mxs.mail.ru', '94.100.180.%d' % ctx.rnd.randrange(30, 32)
    if fam == 'yandex': return 'mx.yandex.ru', '77.88.21.%d' % ctx.rnd.randrange(240, 250)
    if fam == 'apple': return 'mx0%d.mail.icloud.com' % ctx.rnd.randrange(1, 3), '17.42.251.%d' % ctx.rnd.randrange(2, 99)
    if fam == 'mimecast': return 'eu-smtp-inbound-1.mimecast.com', '195.130.217.%d' % ctx.rnd.randrange(2, 250)
    if fam == 'proofpoint': return 'mx0a-00%d.pphosted.com' % ctx.rnd.randrange(100000, 999999), '148.163.%d.%d' % (ctx.rnd.randrange(128, 159), ctx.rnd.randrange(2, 250))
    if fam == 'messagelabs': return 'cluster%d.eu.messagelabs.com' % ctx.rnd.randrange(1, 9), '85.158.%d.%d' % (ctx.rnd.randrange(136, 143), ctx.rnd.randrange(2, 250))
    return ctx.rnd.choice(['mx', 'mx1', 'mail', 'smtp', 'mx01']) + '.' + d, ctx.ip()

def fill(text, s):
    return (text.replace('{a}', s.addr).replace('{d}', s.domain).replace('{ip}', OURIP).replace('{gid}', s.ctx.gsmtp())
            .replace('{ms}', s.ctx.msid()).replace('{mc}', s.ctx.mcid()).replace('{env}', s.envelope_sender))

def reply_lines(code, status, text):
    """An SMTP reply as the server sent it: multi-line replies (Gmail's) in 60-column pieces."""
    if 'gsmtp' in text and len(text) > 70:
        parts = textwrap.wrap(text, 60, break_long_words=False, break_on_hyphens=False)
        out = ['%s-%s %s' % (code, status, p) for p in parts[:-1]] + ['%s %s %s' % (code, status, parts[-1])]
        return out
    return [('%s %s %s' % (code, status, text)) if status else ('%s %s' % (code, text))]

def reply(s):
    return ' '.join(reply_lines(*s.diag))

# ------------------------------------------------------------------------------------------------------
CONSEQUENCE = {'user-unknown': 'hard', 'host-unknown': 'hard', 'mailbox-disabled': 'hard', 'mailbox-full': 'soft',
               'message-too-large': 'soft', 'expired': 'soft', 'system': 'soft', 'on-hold': 'soft', 'unknown': 'soft',
               'content': 'sender', 'blocked': 'sender', 'policy': 'sender', 'rate-limited': 'sender', 'complaint': 'complaint'}

class Sample:
    """One mail of the set. placement says where the token of our reader is:
    env (envelope and quoted original), env-noorig (envelope only), quoted (only the quoted original's
    X-Newsletter-Token and Return-Path), quoted-rp (only its Return-Path), quoted-lu (only the List-Unsubscribe
    mailto), forged (a token that does not verify), foreign (no token of ours), unsub (mail to the unsubscribe
    address), unsub-forged."""
    def __init__(self, ctx, kind, reason, sub, placement='env', special=None, note='', consequence=None, domains=None, diag=None, pool=None):
        self.ctx, self.kind, self.reason, self.sub, self.placement, self.special = ctx, kind, reason, sub, placement, special
        self.note = note
        self.consequence = consequence or CONSEQUENCE.get(reason, 'review')
        if placement in ('forged', 'foreign', 'unsub-forged'):
            self.consequence = 'review'
        self.diag = None
        fam = 'generic'
        src = pool if pool and reason in pool else REPLIES
        if diag is None and reason in src:
            diag = ctx.cycle((kind, reason), src[reason])
        if diag is not None:
            fam = family(diag[2])
        self.family = fam
        self.addr = ctx.address(domains or domains_for(fam, reason))
        self.local, self.domain = self.addr.split('@')
        self.name = ' '.join(p.capitalize() for p in self.local.replace('_', '.').split('.') if p.isalpha()) or self.local.capitalize()
        self.mx, self.mxip = mx_for(fam, self.domain, ctx)
        self.envelope_sender = (B(sub) if placement not in ('forged', 'foreign') else PLAIN if placement == 'foreign'
                                else 'bounces+%s@%s' % (forged_token(sub), DOMAIN))
        if diag is not None:
            self.diag = (diag[0], diag[1], fill(diag[2], self))
        self.date = SENT + datetime.timedelta(seconds=ctx.rnd.randrange(3, 900))
        self.qid = ctx.alnum(11)

    @property
    def code(self): return self.diag[0]
    @property
    def status(self):
        if not self.diag: return '5.0.0'
        st = self.diag[1]
        if st and st.count('.') == 2: return st
        c = self.diag[0]
        return c[0] + '.0.0'
    @property
    def text(self): return self.diag[2]

    def delivered_to(self):
        """The address Postfix delivered this mail to in the bounce mailbox (recipient_delimiter = +)."""
        p = self.placement
        if p in ('env', 'env-noorig'): return B(self.sub)
        if p == 'forged': return self.envelope_sender
        if p == 'unsub': return U(self.sub)
        if p == 'unsub-forged':
            u = U(self.sub); return u[:u.index('@') - 4] + 'zzzz' + u[u.index('@'):]
        return PLAIN

    def top(self, host, ip, helo=None, tls=True, return_path='<>'):
        """What the bounce mailbox's Postfix adds in front: Return-Path, X-Original-To, Delivered-To, Received."""
        to = self.delivered_to()
        when = rfcdate(self.date + datetime.timedelta(seconds=2))
        return (f"Return-Path: {return_path}\nX-Original-To: {to}\nDelivered-To: {to}\n"
                f"Received: from {helo or host} ({host} [{ip}])\n\tby {OURMX} (Postfix) with {'ESMTPS' if tls else 'ESMTP'} id {self.ctx.alnum(11)}\n"
                f"\tfor <{to}>; {when}\n")

    def to_header(self):
        return self.envelope_sender if self.placement in ('env', 'env-noorig', 'forged') else (
            self.ctx.rnd.choice(['AI Tool Verdicts <digest@verdicts.example.com>', PLAIN]))

    def original(self, mode='full', indent=''):
        """The digest as we sent it to this reader, whole (full) or only its headers (headers)."""
        sub, p = self.sub, self.placement
        lines = []
        if p == 'foreign':
            return foreign_original(self, mode)
        rp = self.envelope_sender
        if p not in ('quoted-lu',):
            lines.append(f'Return-Path: <{rp}>')
        lines.append('Received: from out1.verdicts.example.com (out1.verdicts.example.com [%s])\n\tby %s with ESMTPS id %s\n\tfor <%s>; %s' % (OURIP, self.mx, self.ctx.alnum(10), self.addr, rfcdate(SENT)))
        lines.append('DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=verdicts.example.com; s=mail;\n\th=from:to:subject:date:message-id:list-unsubscribe; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n\tb=%s' % base64.b64encode(bytes(self.ctx.rnd.randrange(256) for _ in range(48))).decode())
        lines.append('From: AI Tool Verdicts <digest@verdicts.example.com>')
        lines.append(f'To: {self.addr}')
        lines.append(f'Subject: {SUBJECT}')
        lines.append('Date: ' + rfcdate(SENT))
        lines.append(f'Message-ID: <issue-{ISSUE}.subscriber-{sub}@{DOMAIN}>')
        if p not in ('quoted-rp', 'quoted-lu'):
            lines.append('X-Newsletter-Token: ' + (T(sub) if p != 'forged' else forged_token(sub)))
        unsub = U(sub) if p != 'forged' else U(sub).replace('bounces+u-', 'bounces+u-' + 'zz', 1).replace('zz' + U(sub)[10:12], 'zz', 1)
        lines.append(f'List-Unsubscribe: <https://verdicts.example.com/unsubscribe?token={self.ctx.hexid(32)}>, <mailto:{unsub}?subject=unsubscribe>')
        lines.append('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
        lines.append('List-Id: AI Tool Verdicts <digest.verdicts.example.com>')
        lines.append('Feedback-ID: 5:digest:verdicts')
        lines.append('Precedence: bulk')
        lines.append('MIME-Version: 1.0')
        lines.append('Content-Type: multipart/alternative; boundary="=-digest-%s"' % self.ctx.hexid(8))
        head = '\n'.join(lines) + '\n'
        if mode == 'headers':
            return indent_all(head, indent)
        b = lines[-1].split('"')[1]
        body = (f"\n--{b}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                f"This week: Mistral 4B Edge vs Modal GPU serverless inference.\nRead it online: https://verdicts.example.com/issues/5\n"
                f"--{b}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                f"<p>This week: Mistral 4B Edge vs Modal GPU serverless inference.</p>\n--{b}--\n")
        return indent_all(head + body, indent)

def indent_all(text, indent):
    if not indent: return text
    return ''.join(indent + l if l.strip() else l for l in text.splitlines(True))

def foreign_original(s, mode):
    """Backscatter: a mail we never sent (spam forging our domain), so no token of ours anywhere."""
    r = s.ctx.rnd
    frm = r.choice(['"Pharmacy Deals" <sales@verdicts.example.com>', 'digest@verdicts.example.com', '"Invoice" <billing@verdicts.example.com>', 'noreply@shop.example.net'])
    head = (f"Return-Path: <{PLAIN}>\n"
            f"Received: from [198.51.100.{r.randrange(2, 250)}] (unknown [198.51.100.{r.randrange(2, 250)}])\n\tby {s.mx} with SMTP id {s.ctx.alnum(10)}\n\tfor <{s.addr}>; {rfcdate(SENT - datetime.timedelta(hours=r.randrange(1, 40)))}\n"
            f"From: {frm}\nTo: {s.addr}\nSubject: {r.choice(['Your invoice #48213 is overdue', 'Cheap meds online', 'Re: payment confirmation', 'You have won!'])}\n"
            f"Date: {rfcdate(SENT - datetime.timedelta(hours=r.randrange(1, 40)))}\nMessage-ID: <{s.ctx.hexid(16)}@{r.choice(['localhost', 'verdicts.example.com', 'mail.ru'])}>\n"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n")
    if mode == 'headers': return head
    return head + '\nClick here to claim: http://198.51.100.77/x\n'

def dsn_fields(s, reporting, action='failed', status=None, diag=None, diag_type='smtp', remote=True, extra_msg='', extra_rcpt='',
               orig_rcpt=True, blank=True, arrival=True):
    """A message/delivery-status body: per-message fields, a blank line, per-recipient fields."""
    m = f'Reporting-MTA: dns; {reporting}\n' + extra_msg
    if arrival: m += f'Arrival-Date: {rfcdate(SENT)}\n'
    r = f'Final-Recipient: rfc822; {s.addr}\n'
    if orig_rcpt: r += f'Original-Recipient: rfc822;{s.addr}\n'
    r += f'Action: {action}\nStatus: {status or s.status}\n'
    if remote: r += f'Remote-MTA: dns; {s.mx}\n'
    if diag is None and s.diag: diag = reply(s)
    if diag: r += fold('Diagnostic-Code', f'{diag_type}; {diag}') + '\n'
    r += f'Last-Attempt-Date: {rfcdate(s.date)}\n' + extra_rcpt
    return m + ('\n' if blank else '') + r

# Diagnostics a plan entry names with =key, for the traps that need one exact wording.
SPECIFIC = {
    'overquota422': ('452', '4.2.2', '<{a}>: Recipient address rejected: Mailbox over quota'),
    'relay': ('554', '5.7.1', '<{a}>: Relay access denied'),
    'spf': ('550', '5.7.1', 'SPF check failed: {ip} is not allowed to send mail from verdicts.example.com'),
    'dbeb': ('550', '5.4.1', 'Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors [{ms}]'),
    'olc550': ('550', '5.5.0', 'Requested action not taken: mailbox unavailable (S2017062302). [{ms}]'),
    'yandex571': ('550', '5.7.1', 'No such user!'),
    'suspended': ('550', '5.2.1', 'Mailbox temporarily suspended'),
    'suspended2': ('450', '4.2.1', '<{a}>: Recipient address rejected: this mailbox is temporarily suspended'),
    'gmailrate': ('450', '4.2.1', 'The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. If the user is able to receive mail at that time, your message will be delivered. For more information, go to https://support.google.com/mail/?p=ReceivingRatePerm {gid}'),
    'dailylimit': ('550', '5.4.5', 'Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852 {gid}'),
    'sender18': ('550', '5.1.8', '<{env}>: Sender address rejected: Domain not found'),
    'sender17': ('553', '5.1.7', '<{env}>: Sender address rejected: not a valid address'),
    'groupauth': ('550', '5.7.133', 'RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group'),
    'ptr': ('450', '4.7.1', 'Client host rejected: cannot find your reverse hostname, [{ip}]'),
    'ptrgmail': ('550', '5.7.25', '[{ip}] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. As a policy, Gmail does not accept messages from IPs with missing PTR records. {gid}'),
    'dmarcgmail': ('550', '5.7.26', "Unauthenticated email from verdicts.example.com is not accepted due to domain's DMARC policy. Please contact the administrator of verdicts.example.com domain if this was a legitimate mail. To learn about the DMARC initiative, go to https://support.google.com/mail/?p=DmarcRejection {gid}"),
    'dmarcms': ('550', '5.7.509', 'Access denied, sending domain verdicts.example.com does not pass DMARC verification and has a DMARC policy of reject. [{ms}]'),
    's3150': ('550', '5.7.1', "Unfortunately, messages from [{ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [{ms}]"),
    'gmailspam': ('550', '5.7.1', '[{ip}] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. Please visit https://support.google.com/mail/?p=UnsolicitedMessageError to review our Bulk Email Senders Guidelines. {gid}'),
    'rfc5322': ('550', '5.7.1', '[{ip}] This message is not RFC 5322 compliant. To reduce the amount of spam sent to Gmail, this message has been blocked. Please visit https://support.google.com/mail/?p=RfcMessageNonCompliant and review RFC 5322 specifications for more information. {gid}'),
    'spamhaus': ('554', '5.7.1', 'Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}'),
    'toomany': ('421', '4.7.0', 'Too many connections from your IP ({ip})'),
    'gdisabled': ('550', '5.2.1', 'The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser {gid}'),
    'gfull': ('452', '4.2.2', "The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp {gid}"),
    'gunknown': ('550', '5.1.1', "The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser {gid}"),
    'msunknown': ('550', '5.1.10', 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'),
    'virus': ('554', '5.7.1', 'Message rejected: virus found (Eicar-Test-Signature)'),
    'content571': ('550', '5.7.1', 'Message rejected because of content restrictions'),
    'gadmin': ('550', '5.7.1', 'The user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent. Please contact your domain administrator for further details. For more information, go to https://support.google.com/a/answer/172179 {gid}'),
    'msrestrict': ('550', '5.7.1', 'RESOLVER.RST.NotAuthorized; not authorized'),
    'mcspoof': ('550', '', 'Rejected by header based Anti-Spoofing policy: {a} - https://community.mimecast.com/docs/DOC-1369#550 [{mc}]'),
    'bcblocked': ('550', '', 'permanent failure for one or more recipients ({a}:blocked)'),
    'ofr005': ('421', '', 'mwinf5c{n} ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]'),
    'tss04': ('421', '4.7.0', '[TSS04] Messages from {ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes'),
}
