using System.Text.RegularExpressions;

namespace Newsletter.Mail.Failures;

/// <summary>
/// What one failure means: its reason, what it does to the reader, the enhanced status code it came
/// with (5.1.1; null when the server gave none) and the server's diagnostic line.
/// </summary>
public sealed record FailureVerdict(FailureReason Reason, FailureConsequence Consequence, string? Status, string Diagnostic)
{
    /// <summary>The reason as stored and shown: user-unknown, mailbox-full …</summary>
    public string ReasonName => FailureRules.Name(Reason);

    /// <summary>The address is dead: the only verdict that bounces a reader for good.</summary>
    public bool IsAddressFailure => Consequence == FailureConsequence.Hard;
}

/// <summary>
/// The one table that turns a failure (an SMTP reply code, an RFC 3463 enhanced status code and the
/// server's diagnostic text) into a <see cref="FailureReason"/> and a <see cref="FailureConsequence"/>.
/// The send path (an SMTP refusal), the mailbox (a DSN, a plain-text bounce) and the webhook all read
/// it. The rows are tried in order, most specific first: the words a server uses say more than its
/// code (servers put 5.7.1 on a user unknown and 5.1.1 on nothing else, but 550 on everything), then
/// the code's RFC 3463 meaning (X.1.x the address, X.2.x the mailbox, X.3.x and X.4.x the system or
/// the network, X.5.x the protocol, X.6.x the content, X.7.x security or policy: the sender's
/// problem), then the bare reply code.
/// <para>
/// What a reason does: an address that does not exist or will never take mail (user-unknown,
/// host-unknown, mailbox-disabled) bounces the reader, but only on a permanent failure (a 4xx or a
/// 4.x.x is never the end of an address); a mailbox problem that may pass (full, suspended, gave up
/// after retries, a system error) is soft, and so is anything not understood, a message too large
/// and a mail held for review: never hard; the sender's problems (blocked, content, policy, rate)
/// never cost the reader anything.
/// </para>
/// </summary>
public static partial class FailureRules
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>
    /// The rows. Status: a code pattern ("x" is 4 or 5, "*" any number) or null for any code; Text:
    /// a pattern the diagnostic must match, or null. The first row whose both parts match decides.
    /// </summary>
    private static readonly Row[] Rows =
    [
        // ---- Vendors' own codes and phrases that mean more than their status code ---------------
        // A provider's memory of an earlier bounce, not a reply from the reader's server.
        new(null, @"suppression list|suppressed|previously (bounced|hard bounced|unsubscribed)|on the (bounce|block) list for your account", FailureReason.Unknown),
        new(null, @"not listed in (the )?(public name|domino directory|.{0,20}address book)|resolver\.adr\.|recipientnotfound|recipnotfound|invalid recipient|recipient address rejected: access denied|no such user!", FailureReason.UserUnknown),
        new(null, @"\bCS01\b|\bPH01\b|rejected due to security polic|\bHI:SPF\b|@\S+:blocked\)|reject due to policy restrictions|content denied|\bMFLT\b", FailureReason.Content),
        new(null, @"\bTSS?0\d\b|user complaints|(sender )?ip (address )?(is |has been )?(blocked|banned|blacklisted)|envelope blocked|spamhaus|spamcop|barracuda ?(central|reputation|rbl)|sorbs|\bdnsbl\b|\brbl\b|\bblock ?list|\bblack ?list|blocked using|poor reputation|bad reputation|\breputation\b|\bS3150\b|\bS3140\b|\bCON:B1\b|\bRLY:B\d|\bDYN:T1\b|listed (at|on|by) |is listed in", FailureReason.Blocked),
        new(null, @"frequency limit|receiving mail (too quickly|too fast|at a rate)|too quickly|sending limit|rate ?limit|too many (connections|messages|mails|recipients|concurrent|sessions)|too much mail|throttl|exceeded (the )?(rate|sending|message) limit|unusual rate|\bRL0\d\b|\bGL01\b|connection (rate|limit)|limit (exceeded|reached) for|(hourly|daily) (message|sending|quota) limit|try again later, closing connection", FailureReason.RateLimited),

        // ---- Held, or refused by a person --------------------------------------------------------
        new(null, @"rejected by the (list )?moderator|moderator gave the following reason|(not|non-members are not) (allowed|permitted) to post|rejected your (post|message|request)", FailureReason.Policy),
        new(null, @"quarantin|held reason|held for (review|moderation|approval)|awaiting (moderation|moderator|approval|review)|moderat(ed|ion|or)|on hold|pending (approval|review)|submitted to (the )?(editor|moderator)|requires approval", FailureReason.OnHold),

        // ---- How we send: DMARC, SPF, DKIM, PTR, TLS, RFC compliance, relaying, our sender address --
        new(null, @"\bdmarc\b|\bspf\b|\bdkim\b|sender policy framework|domainkeys|not authenticated|unauthenticated|authentication (failed|required|results)|\bptr\b|reverse (dns|lookup|hostname)|rdns|no (reverse|rdns)|(helo|ehlo) (command )?rejected|invalid (helo|ehlo)|relay(ing)? (access )?(denied|not permitted|prohibited|not allowed)|not permitted to relay|we do not relay|unable to relay|relay not permitted|sender (address )?(rejected|verify failed|domain must exist)|invalid sender|sender address (is )?invalid|adresse d.?exp.dition invalide|not rfc ?\d+ compliant|rfcmessagenoncompliant|(violat\w*|not compliant with|non-compliant with|according to|does not conform to|required by) (the )?rfc|rfc ?(5322|2822|5321|821|822) (compliance|violation|requires)|not (rfc|standard)[- ]compliant|(message|header|mail) (is )?(not )?(compliant|malformed)|malformed|missing (message-id|date|from)|(bare|naked) (lf|cr)|\btls\b.{0,30}required|encryption required|must issue a starttls|administrative prohibition|prohibited by administrator|sender (is )?not (allowed|authorized|permitted)|not authorized to send|notauthorized|do not have permission to send|not have permission|sender denied|external forwarding|from address (is )?(not allowed|rejected)|spoof|forged|\bSC-00[1-4]\b|\bOU-00\d\b|5\.7\.133|5\.7\.(2[3-9])", FailureReason.Policy),

        // ---- The content of the mail: spam and virus filters, URLs, attachments ---------------------
        new(null, @"\bspam\b|spammy|\bjunk\b|unsolicited|bulk mail|content (rejected|filter|polic|denied)|message content|(rejected|refused|blocked|not accepted) (because|due to|for) (its )?(content|spam)|suspicious|phish|virus|malware|infected|\burl\b.{0,40}(block|reject|list)|(blocked|prohibited|banned|dangerous) (url|link|attachment|file)|(attachment|file) (type )?(is )?(blocked|not allowed|rejected|prohibited)|rejected by (the )?(recipient'?s? )?(spam|content|mail) ?filter|message (was |has been )?(identified|classified|detected|considered|determined) as|(looks|look) like spam|high (probability|likelihood)|spam score|scam|fraud", FailureReason.Content),

        // ---- Our IP or domain, in plainer words ------------------------------------------------------
        new(null, @"\bbanned\b|sender (ip|domain|address) (is |has been )?(blocked|banned)|ip (address )?(is |has been )?(blocked|banned|blacklisted)|messages from \S+ weren't sent|client host \S* ?(\[[^\]]*\] )?blocked|\bblocked\b.{0,40}\b(ip|address|domain|sender|host|network|server)\b|\b(ip|domain|sender|host|network|server)\b.{0,40}\bblocked\b|your access to this mail system", FailureReason.Blocked),
        new(null, @"\bpolicy\b", FailureReason.Policy),

        // ---- The mailbox: full or over quota --------------------------------------------------------
        new(null, @"(mailbox|mail ?box|inbox|account|user|recipient|mail ?folder|disk)('s)? (is |was )?(full|over ?quota|out of (space|storage))|mailbox (size )?(limit|exceeds|exceeded)|user mailbox exceeds|over ?quota|quota (exceeded|exceed|full|limit)|exceed(s|ed|ing)? (the |their |his |her |its )?(storage|quota|mailbox)|insufficient (disk|storage|space)|no (more )?space|(storage|disk) (space )?(full|exceeded|limit)|not enough (storage|space)|too many messages|postfach (ist )?voll|boîte (aux lettres )?pleine|capacity exceeded|cannot update mailbox|\bquota\b", FailureReason.MailboxFull),
        new("x.2.2", null, FailureReason.MailboxFull),

        // ---- The message is too big ------------------------------------------------------------------
        new(null, @"message (size |length )?(is )?(too (big|large|long)|exceeds|exceeded)|(size|length) (of (the )?message )?exceeds|too (big|large)|maximum (message )?size|size limit|message size|mail size|exceeds? (the )?(maximum|size|fixed)", FailureReason.MessageTooLarge),
        new("x.2.3", null, FailureReason.MessageTooLarge),
        new("x.3.4", null, FailureReason.MessageTooLarge),

        // ---- X.2.1 and its words: gone for good, or only set aside for a while ---------------------
        new(null, @"(account|mailbox|user|address|recipient)( \S+)? (has been |is |was )?(temporarily )?(suspended|frozen|locked|blocked by the owner|on hold|not active yet|temporarily (disabled|unavailable|deactivated))|temporarily (disabled|deactivated|suspended|unavailable)|\bsuspended\b|not yet activated|over.{0,10}(receiving|incoming) limit", FailureReason.MailboxFull),
        new(null, @"(account|mailbox|user|address|recipient)( \S+)? (has been |is |was )?(permanently )?(disabled|deactivated|deleted|closed|removed|discontinued|terminated|expired|inactive|cancel+ed|no longer (active|valid|available|in use|exists?))|\bis disabled\b|disableduser|(disabled|closed|deactivated|deleted|terminated|expired|inactive) (account|mailbox|user|e-?mail address|address)|no longer (accepts?|receives?|in use|exists?|available|active|valid|here)|has (been )?(left|moved)|not (accepting|receiving) (any )?(mail|e-?mail|messages)|does not accept mail|(accepts|receives) no mail|dormant", FailureReason.MailboxDisabled),

        // ---- The domain has no mail server or does not exist ---------------------------------------
        new(null, @"host (or domain name )?not found|domain (name )?not found|unrouteable (mail )?domain|unrouteable address|unroutable|no mx|(mx|dns)( record)? (lookup )?(failed|not found|error)|name (or service )?not known|nxdomain|no such (domain|host)|domain (\S+ )?(does not|doesn'?t) exist|unknown (host|domain)|host unknown|domain (is )?(invalid|not (valid|available|registered|in use))|bad destination (system|host)|name service error|could not (resolve|be resolved)|no (valid|route|mail exchangers?)|(all )?relevant mx records point to non-existent hosts|mail loops back to myself|domain is not accepting mail|null mx|domainnonexistent|non-existent hosts?", FailureReason.HostUnknown),

        // ---- The mailbox does not exist ------------------------------------------------------------
        new(null, @"user(name)? (is )?unknown|unknown (user|recipient|local|mailbox|address|account|e-?mail)|no such (user|mailbox|recipient|address|account|person|local user|e-?mail)|(user|mailbox|recipient|address|account|e-?mail( address)?)( \S+)? (does not|doesn'?t|did not|no longer) exists?|does not exist|not (a )?(valid|known) (user|mailbox|recipient|address|account)|(invalid|bad|unavailable|non-?existent|nonexistent) (recipient|mailbox|user|address|destination)|(recipient|mailbox|user|address) (is )?(invalid|not found|not valid|unavailable|not listed|rejected: (user unknown|undeliverable|unknown))|not listed in|user (not found|doesn'?t have|does not have)|no mailbox|mailbox (not found|unavailable|does not)|unknown or illegal alias|not our customer|no such|(address|user|recipient) (is )?not (found|listed|known|recognized)|undeliverable address|invalid address|address rejected|account (not found|does not exist|is not available)|addressee unknown|name is not recognized|this user doesn'?t have|doesn'?t have an? \S+ account|couldn'?t be found|wasn'?t found|could not be found|not a valid|failed to find|did not reach the following recipient|unknown alias|recipient not found|mailbox name not allowed|no account|unknown$", FailureReason.UserUnknown),

        // ---- Gave up after retrying ----------------------------------------------------------------
        new(null, @"retry time(out)? (was )?(not reached|exceeded)|(message|mail) (has been )?expired|delivery time expired|could not be delivered within|in the queue too long|queue too long|not going to try again|too old|expired after|no longer trying|delivery attempts? (will continue|have been abandoned)|attempts exhausted|\d+ days old|removed from the mail queue", FailureReason.Expired),

        // ---- The code's meaning, RFC 3463 ----------------------------------------------------------
        new("x.4.7", null, FailureReason.Expired),
        new("x.1.0", null, FailureReason.UserUnknown),
        new("x.1.1", null, FailureReason.UserUnknown),
        new("x.1.2", null, FailureReason.HostUnknown),
        new("x.1.3", null, FailureReason.UserUnknown),
        new("x.1.4", null, FailureReason.Unknown),
        new("x.1.5", null, FailureReason.Unknown),
        new("x.1.6", null, FailureReason.MailboxDisabled),
        new("x.1.7", null, FailureReason.Policy),
        new("x.1.8", null, FailureReason.Policy),
        new("x.1.10", null, FailureReason.UserUnknown),
        new("x.1.*", null, FailureReason.UserUnknown),
        new("5.2.1", null, FailureReason.MailboxFull),
        new("x.2.*", null, FailureReason.MailboxFull),
        new("x.4.4", null, FailureReason.HostUnknown),
        new("x.3.*", null, FailureReason.System),
        new("x.4.*", null, FailureReason.System),
        new("x.5.3", null, FailureReason.RateLimited),
        new("x.5.*", null, FailureReason.Policy),
        new("x.6.*", null, FailureReason.Content),
        new("x.7.*", null, FailureReason.Policy),

        // ---- Words of a system in trouble, when nothing better was said ------------------------------
        new(null, @"connection (refused|reset|timed out|closed|lost)|timed? ?out|temporar(il)?y|try (again )?later|service (not )?(available|unavailable)|system (error|problem)|internal (server )?error|local error|resources|insufficient system|network|\bunavailable\b|deferred|server (busy|error)|out of memory|disk i/o|greylist|graylist|configuration problem|dns query failed", FailureReason.System),
    ];

    /// <summary>
    /// Classifies one failure. <paramref name="replyCode"/>: the SMTP reply (550, 452 …) if known;
    /// <paramref name="status"/>: the enhanced code ("5.1.1") if known (else read from the text);
    /// <paramref name="diagnostic"/>: the server's words; <paramref name="gaveUp"/>: the reporter gave
    /// up for good (a DSN's "failed", a bounce), which makes a failure with no code permanent and a
    /// temporary one that names no reason <see cref="FailureReason.Expired"/> (it was retried for days).
    /// </summary>
    public static FailureVerdict Classify(int? replyCode, string? status, string? diagnostic, bool gaveUp = false)
    {
        var text = Continuation().Replace(diagnostic ?? "", "");
        var inText = EnhancedInText().Match(text) is { Success: true } m ? m.Value : null;

        // A DSN's Status is often only the class (5.0.0) while its Diagnostic-Code quotes the server's own.
        var code = NormaliseStatus(status) is { } given && !(given.EndsWith(".0.0", StringComparison.Ordinal) && inText is not null) ? given : inText;
        replyCode ??= ReplyInText().Match(text) is { Success: true } r ? int.Parse(r.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        var isPermanent = code is not null ? code[0] == '5' : replyCode is { } reply ? reply >= 500 : gaveUp;

        var reason = FailureReason.Unknown;
        foreach (var row in Rows)
        {
            if (row.Matches(code, text))
            {
                reason = row.Reason;
                break;
            }
        }

        if (reason == FailureReason.Unknown && replyCode is { } bare)
        {
            reason = bare switch
            {
                552 or 452 => FailureReason.MailboxFull,
                551 or 553 => FailureReason.UserUnknown,
                421 or 450 or 451 or 454 => FailureReason.System,
                _ => FailureReason.Unknown,
            };
        }

        // A temporary failure the reporter stopped retrying: it expired, unless the words said why.
        var temporary = code is not null ? code[0] == '4' : replyCode is < 500;
        if (gaveUp && ((reason == FailureReason.System && (temporary || (code is null && replyCode is null))) || (reason == FailureReason.Unknown && temporary)))
        {
            reason = FailureReason.Expired;
        }

        return new FailureVerdict(reason, ConsequenceOf(reason, isPermanent), code, text);
    }

    /// <summary>What a reason does to the reader; an address failure is hard only when it is final.</summary>
    public static FailureConsequence ConsequenceOf(FailureReason reason, bool permanent) => reason switch
    {
        FailureReason.UserUnknown or FailureReason.HostUnknown or FailureReason.MailboxDisabled =>
            permanent ? FailureConsequence.Hard : FailureConsequence.Soft,
        FailureReason.Blocked or FailureReason.Content or FailureReason.Policy or FailureReason.RateLimited => FailureConsequence.Sender,
        FailureReason.Complaint => FailureConsequence.Complaint,
        _ => FailureConsequence.Soft,
    };

    /// <summary>user-unknown, mailbox-full, rate-limited …</summary>
    public static string Name(FailureReason reason) => KebabBoundary().Replace(reason.ToString(), "$1-$2").ToLowerInvariant();

    /// <summary>The reason a stored name stands for; Unknown for a name not in the list.</summary>
    public static FailureReason Parse(string? name)
    {
        foreach (var reason in Enum.GetValues<FailureReason>())
        {
            if (string.Equals(Name(reason), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return reason;
            }
        }

        return FailureReason.Unknown;
    }

    /// <summary>"5.1.1" from "5.1.1", "#5.1.1", "550-5.1.1 …"; null when there is none.</summary>
    public static string? NormaliseStatus(string? status)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return null;
        }

        var m = EnhancedInText().Match(status);
        return m.Success ? m.Value : null;
    }

    private sealed class Row(string? status, string? text, FailureReason reason)
    {
        private readonly Regex? _text = text is null ? null : new Regex(text, Options | RegexOptions.NonBacktracking);

        public FailureReason Reason { get; } = reason;

        public bool Matches(string? code, string text)
        {
            if (status is not null && (code is null || !StatusMatches(status, code)))
            {
                return false;
            }

            return _text is null || _text.IsMatch(text);
        }

        private static bool StatusMatches(string pattern, string code)
        {
            var p = pattern.Split('.');
            var c = code.Split('.');
            return (p[0] == "x" ? c[0] is "4" or "5" : p[0] == c[0]) && (p[1] == "*" || p[1] == c[1]) && (p[2] == "*" || p[2] == c[2]);
        }
    }

    [GeneratedRegex(@"(?<![\d.])[45]\.\d{1,3}\.\d{1,3}(?![\d.]*\d)", RegexOptions.CultureInvariant)]
    private static partial Regex EnhancedInText();

    [GeneratedRegex(@"(?<![\w.#])([45][0-5]\d)(?=[ -]\D|$)", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex ReplyInText();

    /// <summary>"450-4.2.1 " in the middle of a reply wrapped over lines: it splits the server's words.</summary>
    [GeneratedRegex(@"(?<=\S\s)[245]\d\d-(?:[245]\.\d{1,3}\.\d{1,3}\s)?", RegexOptions.CultureInvariant)]
    private static partial Regex Continuation();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex KebabBoundary();
}
