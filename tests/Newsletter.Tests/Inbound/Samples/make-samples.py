# The samples were written by hand in the shapes Postfix, Exim, Gmail, Microsoft and an ARF feedback
# loop send; this script holds them and fills in real VERP tokens made with the tests key (bytes 1..32),
# the same algorithm as src/Newsletter/Mail/VerpToken.cs. Run: python3 make-samples.py
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verp_token import tok
D = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
os.makedirs(D, exist_ok=True)
B = lambda s: 'bounces+%s@verdicts.example.com' % tok('b', 5, s)
T = lambda s: tok('b', 5, s)
U = lambda s: 'bounces+u-%s@verdicts.example.com' % tok('u', 5, s)

def original(sub, email, full=True):
    h = f"""Return-Path: <{B(sub)}>
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=verdicts.example.com; s=mail;
	h=from:to:subject:date:message-id:list-unsubscribe; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
	b=dGVzdA==
From: AI Tool Verdicts <digest@verdicts.example.com>
To: {email}
Subject: AI Tool Verdicts #5: Mistral 4B Edge vs Modal GPU
Date: Mon, 30 Nov 2026 09:00:02 +0000
Message-ID: <issue-5.subscriber-{sub}@verdicts.example.com>
X-Newsletter-Token: {T(sub)}
List-Unsubscribe: <https://verdicts.example.com/unsubscribe?token=abc>, <mailto:{U(sub)}?subject=unsubscribe>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
List-Id: AI Tool Verdicts <digest.verdicts.example.com>
Precedence: bulk
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="=-orig"
"""
    if not full:
        return h
    return h + """
--=-orig
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

This week: Mistral 4B Edge vs Modal GPU serverless inference.
--=-orig
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>This week: Mistral 4B Edge vs Modal GPU serverless inference.</p>
--=-orig--
"""

files = {}
files['postfix-hard-full.eml'] = f"""Return-Path: <>
Delivered-To: {B(101)}
X-Original-To: {B(101)}
Received: by mx.verdicts.example.com (Postfix) id 4Zk3Lq1x2Fz9sWd; Mon, 30 Nov 2026 09:00:05 +0000 (UTC)
Date: Mon, 30 Nov 2026 09:00:05 +0000 (UTC)
From: MAILER-DAEMON@mx.verdicts.example.com (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {B(101)}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Zk3Lq1x2Fz9sWd.1764493205/mx.verdicts.example.com"
Content-Transfer-Encoding: 8bit
Message-Id: <20261130090005.4Zk3Lq1x2Fz9sWd@mx.verdicts.example.com>

This is a MIME-encapsulated message.

--4Zk3Lq1x2Fz9sWd.1764493205/mx.verdicts.example.com
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.verdicts.example.com.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<gone.reader@example.org>: host mx1.example.org[192.0.2.25] said: 550 5.1.1
    <gone.reader@example.org>: Recipient address rejected: User unknown in
    virtual mailbox table (in reply to RCPT TO command)

--4Zk3Lq1x2Fz9sWd.1764493205/mx.verdicts.example.com
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.verdicts.example.com
X-Postfix-Queue-ID: 4Zk3Lq1x2Fz9sWd
X-Postfix-Sender: rfc822; {B(101)}
Arrival-Date: Mon, 30 Nov 2026 09:00:02 +0000 (UTC)

Final-Recipient: rfc822; gone.reader@example.org
Original-Recipient: rfc822;gone.reader@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx1.example.org
Diagnostic-Code: smtp; 550 5.1.1 <gone.reader@example.org>: Recipient address
    rejected: User unknown in virtual mailbox table

--4Zk3Lq1x2Fz9sWd.1764493205/mx.verdicts.example.com
Content-Description: Undelivered Message
Content-Type: message/rfc822
Content-Transfer-Encoding: 8bit

{original(101, 'gone.reader@example.org')}
--4Zk3Lq1x2Fz9sWd.1764493205/mx.verdicts.example.com--
"""

files['postfix-delayed-headers-only.eml'] = f"""Return-Path: <>
Delivered-To: {B(102)}
Date: Tue, 1 Dec 2026 13:00:09 +0000 (UTC)
From: MAILER-DAEMON@mx.verdicts.example.com (Mail Delivery System)
Subject: Delayed Mail (still being retried)
To: {B(102)}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Zkq7T0bQ6z9sX1.1764594009/mx.verdicts.example.com"
Content-Transfer-Encoding: 8bit
Message-Id: <20261201130009.4Zkq7T0bQ6z9sX1@mx.verdicts.example.com>

This is a MIME-encapsulated message.

--4Zkq7T0bQ6z9sX1.1764594009/mx.verdicts.example.com
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.verdicts.example.com.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

Your message could not be delivered for more than 4 hour(s).
It will be retried until it is 5 day(s) old.

<slow.reader@example.net>: connect to mx.example.net[198.51.100.7]:25:
    Connection timed out

--4Zkq7T0bQ6z9sX1.1764594009/mx.verdicts.example.com
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.verdicts.example.com
X-Postfix-Queue-ID: 4Zkq7T0bQ6z9sX1
X-Postfix-Sender: rfc822; {B(102)}
Arrival-Date: Mon, 30 Nov 2026 09:00:02 +0000 (UTC)

Final-Recipient: rfc822; slow.reader@example.net
Original-Recipient: rfc822;slow.reader@example.net
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.example.net[198.51.100.7]:25:
    Connection timed out
Will-Retry-Until: Sat, 5 Dec 2026 09:00:02 +0000 (UTC)

--4Zkq7T0bQ6z9sX1.1764594009/mx.verdicts.example.com
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers
Content-Transfer-Encoding: 8bit

{original(102, 'slow.reader@example.net', full=False)}
--4Zkq7T0bQ6z9sX1.1764594009/mx.verdicts.example.com--
"""

files['exim-hard-plain.eml'] = f"""Return-path: <>
Envelope-to: {B(103)}
Delivery-date: Mon, 30 Nov 2026 09:00:07 +0000
Received: from mail by relay.example.com with local (Exim 4.96)
	id 1uQxYz-000Abc-0D
	for {B(103)}; Mon, 30 Nov 2026 09:00:07 +0000
X-Failed-Recipients: nobody.here@example.com
Auto-Submitted: auto-replied
From: Mail Delivery System <Mailer-Daemon@relay.example.com>
To: {B(103)}
Content-Type: text/plain; charset=us-ascii
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1uQxYz-000Abc-0D@relay.example.com>
Date: Mon, 30 Nov 2026 09:00:07 +0000

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  nobody.here@example.com
    host mx.example.com [203.0.113.9]
    SMTP error from remote mail server after RCPT TO:<nobody.here@example.com>:
    550 5.1.1 No such user here

------ This is a copy of the message, including all the headers. ------

{original(103, 'nobody.here@example.com')}"""

files['exim-dsn-full.eml'] = f"""Return-path: <>
Envelope-to: {B(110)}
Received: from mail by relay.example.com with local (Exim 4.97)
	id 1uQy00-000Bcd-1E
	for {B(110)}; Mon, 30 Nov 2026 09:00:09 +0000
X-Failed-Recipients: mailbox.full@example.com
Auto-Submitted: auto-replied
From: Mail Delivery System <Mailer-Daemon@relay.example.com>
To: {B(110)}
References: <issue-5.subscriber-110@verdicts.example.com>
Content-Type: multipart/report; report-type=delivery-status; boundary=1764493209-eximdsn-1804289383
MIME-Version: 1.0
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1uQy00-000Bcd-1E@relay.example.com>
Date: Mon, 30 Nov 2026 09:00:09 +0000

--1764493209-eximdsn-1804289383
Content-type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  mailbox.full@example.com
    host mx.example.com [203.0.113.9]
    SMTP error from remote mail server after end of data:
    552 5.2.2 Mailbox full

--1764493209-eximdsn-1804289383
Content-type: message/delivery-status

Reporting-MTA: dns; relay.example.com

Action: failed
Final-Recipient: rfc822;mailbox.full@example.com
Status: 5.0.0
Remote-MTA: dns; mx.example.com
X-Remote-MTA-smtp-greeting: X-str; 220 mx.example.com ESMTP
Diagnostic-Code: smtp; 552 5.2.2 Mailbox full

--1764493209-eximdsn-1804289383
Content-type: message/rfc822

{original(110, 'mailbox.full@example.com')}
--1764493209-eximdsn-1804289383--
"""

files['gmail-hard.eml'] = f"""Delivered-To: {B(104)}
Received: by 2002:a05:6402:1234:b0:5d0:aaaa:bbbb with SMTP id x4csp123456edb;
        Mon, 30 Nov 2026 01:00:06 -0800 (PST)
Return-Path: <>
Received: from mail-sor-f69.google.com (mail-sor-f69.google.com. [209.85.220.69])
        by mx.verdicts.example.com with ESMTPS id 4Zk3Lr0000z9sWf
        for <{B(104)}>; Mon, 30 Nov 2026 09:00:06 +0000 (UTC)
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: {B(104)}
Auto-Submitted: auto-replied
Subject: Delivery Status Notification (Failure)
References: <issue-5.subscriber-104@verdicts.example.com>
In-Reply-To: <issue-5.subscriber-104@verdicts.example.com>
X-Failed-Recipients: closed.account@gmail.com
Message-ID: <674ad6d6.170a0220.3e2a1d.9b4fGMR@mx.google.com>
Date: Mon, 30 Nov 2026 01:00:06 -0800 (PST)
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000000000a1b2c3d4e5f6a7b8"; report-type=delivery-status

--000000000000a1b2c3d4e5f6a7b8
Content-Type: multipart/related; boundary="000000000000a1b2c3d4e5f6a7c0"

--000000000000a1b2c3d4e5f6a7c0
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6a7c1"

--000000000000a1b2c3d4e5f6a7c1
Content-Type: text/plain; charset="UTF-8"


** Address not found **

Your message wasn't delivered to closed.account@gmail.com because the address couldn't be found, or is unable to receive mail.

Learn more here: https://support.google.com/mail/?p=NoSuchUser

The response was:

The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-7fd0c3d1234si123456a12.1 - gsmtp

--000000000000a1b2c3d4e5f6a7c1
Content-Type: text/html; charset="UTF-8"

<html><body><h2>Address not found</h2><p>Your message wasn't delivered to <a style='color:#212121;text-decoration:none'><b>closed.account@gmail.com</b></a> because the address couldn't be found, or is unable to receive mail.</p></body></html>

--000000000000a1b2c3d4e5f6a7c1--

--000000000000a1b2c3d4e5f6a7c0--

--000000000000a1b2c3d4e5f6a7b8
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; mx.verdicts.example.com
Arrival-Date: Mon, 30 Nov 2026 01:00:05 -0800 (PST)
X-Original-Message-ID: <issue-5.subscriber-104@verdicts.example.com>

Final-Recipient: rfc822; closed.account@gmail.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; gmail-smtp-in.l.google.com. (2a00:1450:400c:c0b::1a, the server for the domain gmail.com.)
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try
 550-5.1.1 double-checking the recipient's email address for typos or
 550-5.1.1 unnecessary spaces. For more information, go to
 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-7fd0c3d1234si123456a12.1 - gsmtp
Last-Attempt-Date: Mon, 30 Nov 2026 01:00:06 -0800 (PST)

--000000000000a1b2c3d4e5f6a7b8
Content-Type: message/rfc822

{original(104, 'closed.account@gmail.com')}
--000000000000a1b2c3d4e5f6a7b8--
"""

files['microsoft-hard-headers-only.eml'] = f"""Delivered-To: bounces@verdicts.example.com
Received: from EUR05-DB8-obe.outbound.protection.outlook.com (mail-db8eur05on2100.outbound.protection.outlook.com [40.107.20.100])
	by mx.verdicts.example.com (Postfix) with ESMTPS id 4Zk3Ls2Abcz9sWg
	for <bounces@verdicts.example.com>; Mon, 30 Nov 2026 09:00:08 +0000 (UTC)
From: postmaster@outlook.com
To: bounces@verdicts.example.com
Date: Mon, 30 Nov 2026 09:00:08 +0000
Content-Type: multipart/report; report-type=delivery-status;
	boundary="e5a1c2d3-4b5c-4d6e-8f90-123456789abc"
X-MS-Exchange-Message-Is-Ndr:
Content-Language: en-US
Message-ID: <a1b2c3d4-e5f6-4789-abcd-ef0123456789@DB8PR05MB1234.eurprd05.prod.outlook.com>
In-Reply-To: <issue-5.subscriber-105@verdicts.example.com>
References: <issue-5.subscriber-105@verdicts.example.com>
Subject: Undeliverable: AI Tool Verdicts #5: Mistral 4B Edge vs Modal GPU
Auto-Submitted: auto-replied
MIME-Version: 1.0

--e5a1c2d3-4b5c-4d6e-8f90-123456789abc
Content-Type: multipart/alternative; differences=Content-Type;
	boundary="d0e1f2a3-b4c5-4d6e-9f01-23456789abcd"

--d0e1f2a3-b4c5-4d6e-9f01-23456789abcd
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Your message to left.company@contoso.example couldn't be delivered.
left.company wasn't found at contoso.example.

Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipie=
nt not found by SMTP address lookup'

--d0e1f2a3-b4c5-4d6e-9f01-23456789abcd--

--e5a1c2d3-4b5c-4d6e-8f90-123456789abc
Content-Type: message/delivery-status

Reporting-MTA: dns;DB8PR05MB1234.eurprd05.prod.outlook.com
Received-From-MTA: dns;mx.verdicts.example.com
Arrival-Date: Mon, 30 Nov 2026 09:00:07 +0000

Final-Recipient: rfc822;left.company@contoso.example
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup

--e5a1c2d3-4b5c-4d6e-8f90-123456789abc
Content-Type: text/rfc822-headers

{original(105, 'left.company@contoso.example', full=False)}
--e5a1c2d3-4b5c-4d6e-8f90-123456789abc--
"""

files['microsoft-soft-no-original.eml'] = f"""Delivered-To: {B(106)}
From: postmaster@contoso.example
To: {B(106)}
Date: Mon, 30 Nov 2026 21:00:11 +0000
Content-Type: multipart/report; report-type=delivery-status;
	boundary="f0f1f2f3-0000-4d6e-8f90-123456789abc"
X-MS-Exchange-Message-Is-Ndr:
Message-ID: <b2c3d4e5-f6a7-4890-bcde-f01234567890@AM6PR04MB5678.eurprd04.prod.outlook.com>
Subject: Undeliverable: AI Tool Verdicts #5: Mistral 4B Edge vs Modal GPU
Auto-Submitted: auto-replied
MIME-Version: 1.0

--f0f1f2f3-0000-4d6e-8f90-123456789abc
Content-Type: text/plain; charset="us-ascii"

Delivery has failed to these recipients or groups:

busy.person@contoso.example
The recipient's mailbox is full and can't accept messages now. Please try resending this message later, or contact the recipient directly.

--f0f1f2f3-0000-4d6e-8f90-123456789abc
Content-Type: message/delivery-status

Reporting-MTA: dns;AM6PR04MB5678.eurprd04.prod.outlook.com
Received-From-MTA: dns;mx.verdicts.example.com
Arrival-Date: Mon, 30 Nov 2026 09:00:07 +0000

Final-Recipient: rfc822;busy.person@contoso.example
Action: failed
Status: 4.2.2
Diagnostic-Code: smtp;452 4.2.2 STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded

--f0f1f2f3-0000-4d6e-8f90-123456789abc--
"""

files['arf-abuse.eml'] = f"""Delivered-To: bounces@verdicts.example.com
Return-Path: <feedback@arf.mail.example-isp.com>
From: Example ISP Feedback Loop <feedback@arf.mail.example-isp.com>
To: bounces@verdicts.example.com
Subject: FW: AI Tool Verdicts #5: Mistral 4B Edge vs Modal GPU
Date: Mon, 30 Nov 2026 11:12:13 +0000
Message-ID: <fbl.8a7b6c5d@arf.mail.example-isp.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
	boundary="----=_Part_ARF_123"

------=_Part_ARF_123
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP
192.0.2.10 on Mon, 30 Nov 2026 09:00:04 +0000.
For more information about this format please see
http://tools.ietf.org/html/rfc5965.

------=_Part_ARF_123
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleISP-FBL/1.0
Version: 1
Original-Mail-From: <digest@verdicts.example.com>
Arrival-Date: Mon, 30 Nov 2026 09:00:04 +0000
Source-IP: 192.0.2.10
Reported-Domain: verdicts.example.com
Authentication-Results: mx.example-isp.com; dkim=pass header.d=verdicts.example.com; spf=pass

------=_Part_ARF_123
Content-Type: message/rfc822
Content-Disposition: inline

{original(107, 'redacted@example-isp.com')}
------=_Part_ARF_123--
"""

files['vacation-reply.eml'] = f"""Delivered-To: {B(108)}
Return-Path: <>
From: Robin Reader <robin@example.org>
To: {B(108)}
Subject: Out of office: AI Tool Verdicts #5: Mistral 4B Edge vs Modal GPU
Date: Mon, 30 Nov 2026 09:01:00 +0000
Message-ID: <vacation.1764493260@example.org>
Auto-Submitted: auto-replied (vacation)
Precedence: bulk
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

I am away until 14 December with no access to email.
For anything urgent please write to my colleague Sam.
"""

files['outlook-automatic-reply.eml'] = f"""Delivered-To: {B(111)}
From: Kim Reader <kim@contoso.example>
To: {B(111)}
Subject: Automatic reply: AI Tool Verdicts #5: Mistral 4B Edge vs Modal GPU
Thread-Topic: AI Tool Verdicts #5: Mistral 4B Edge vs Modal GPU
Date: Mon, 30 Nov 2026 09:00:30 +0000
Message-ID: <AM0PR01MB1111.autoreply@AM0PR01MB1111.eurprd01.prod.outlook.com>
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: kim@contoso.example
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"

Thanks for your mail. I'm on parental leave until March.
"""

files['unsubscribe-mail.eml'] = f"""Delivered-To: {U(109)}
Return-Path: <leaving.reader@example.com>
From: Leaving Reader <leaving.reader@example.com>
To: {U(109)}
Subject: unsubscribe
Date: Mon, 30 Nov 2026 10:15:00 +0000
Message-ID: <CAF=unsub.1764497700@mail.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Please take me off this list. Thanks!
"""

forged = T(112)
forged = forged[:-3] + ('aaa' if forged[-3:] != 'aaa' else 'bbb')
files['forged-bounce.eml'] = files['postfix-hard-full.eml'].replace(B(101), 'bounces+%s@verdicts.example.com' % forged).replace(T(101), forged).replace('gone.reader@example.org', 'victim@example.org').replace('subscriber-101', 'subscriber-112')

files['garbage.eml'] = """From: "Best Offers" <offers@cheap-seo.example>
To: bounces@verdicts.example.com
Subject: Boost your rankings today!!!
Date: Mon, 30 Nov 2026 03:14:15 +0000
Message-ID: <spam.31415@cheap-seo.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>We can put your website on the first page of Google. Reply now!</p>
"""

files['garbage-not-mime.eml'] = "\x00\x01this is not a mail at all\r\n\r\n\xff\xfe%%%%\r\n--\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\r\n"

for name, text in files.items():
    with open(os.path.join(D, name), 'w', encoding='latin-1', newline='\n') as f:
        f.write(text)
print("\n".join(sorted(files)))
