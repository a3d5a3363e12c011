# Makes the bounce test set of issue 22: hand-written templates in the shapes each mail server or provider
# really sends (core.py, vendors_*.py), filled with real VERP tokens made with the tests key (bytes 1..32,
# the same algorithm as src/Newsletter/Mail/VerpToken.cs), one distinct reader per sample.
# Run: python3 make-corpus.py   (deterministic: fixed seeds; rewrites train/, holdout/ and manifest.tsv)
import os, sys, random, shutil, re
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from core import *
import vendors_mta as M
import vendors_providers as P
import vendors_gateways as G
import vendors_special as X
import vendors_more as Y

AB = {'uu': 'user-unknown', 'hu': 'host-unknown', 'md': 'mailbox-disabled', 'mf': 'mailbox-full', 'tl': 'message-too-large',
      'ct': 'content', 'bl': 'blocked', 'po': 'policy', 'rl': 'rate-limited', 'ex': 'expired', 'sy': 'system', 'oh': 'on-hold',
      'un': 'unknown', 'cp': 'complaint', 'nf': 'none'}
TOKEN = re.compile(r'\s+(?=(?:%s)(?:[/:#=]|\s|$))' % '|'.join(AB))
NONFAIL = {'delayed', 'delivered', 'relayed'}

# kind: (builder, plan). A plan entry is reason[/placement][:special][#note]
PLANS = {
    'postfix': (M.postfix, 'uu uu uu/quoted uu uu:no-autosubmitted#no Auto-Submitted uu:german#German bounce template hu hu md mf mf/quoted-rp mf=overquota422#4.2.2 over quota kept until expiry '
                'tl ct bl bl po po=relay#relay access denied at the reader MX: not the reader fault po rl ex ex sy un uu:damaged-boundary#declared boundary differs from the one used '
                'mf:no-blank#no blank line after the report part header nf:delayed nf:relayed nf:delivered uu/forged uu/foreign'),
    'exim': (M.exim, 'uu uu uu:dsn uu/quoted uu/env-noorig hu hu md mf mf:dsn ct bl po=spf#X-Failed-Recipients on a policy refusal po=sender18:dsn#5.1.8: our envelope domain refused, not the reader rl ex ex:dsn sy nf:delayed uu/forged un'),
    'sendmail': (M.sendmail, 'uu:plain uu:plain uu uu/quoted-rp hu:plain hu md mf:plain mf tl ct bl:plain po ex ex:plain nf:delayed un/foreign'),
    'qmail': (M.qmail, 'uu uu uu uu/quoted hu mf mf md tl ct bl ex sy uu/forged'),
    'opensmtpd': (M.opensmtpd, 'uu uu uu/quoted hu mf ct po ex nf:delayed'),
    'courier': (M.courier, 'uu uu hu mf ct bl ex po'),
}
PLANS.update(getattr(P, 'PLANS', {}))
PLANS.update(getattr(G, 'PLANS', {}))
PLANS.update(getattr(X, 'PLANS', {}))
PLANS.update(getattr(Y, 'PLANS', {}))

def parse(entry):
    note = ''
    if '#' in entry: entry, note = entry.split('#', 1)
    special = None
    if ':' in entry: entry, special = entry.split(':', 1)
    diag = None
    placement = 'env'
    if '/' in entry: entry, placement = entry.split('/', 1)
    if '=' in entry: entry, diag = entry.split('=', 1)
    return AB[entry], placement, special, note, (SPECIFIC[diag] if diag else None)

def relay_for_dead_domain(text, s):
    """A domain that does not exist sends no bounce: whoever reports it is a relay on the way there. Any
    host or postmaster a template put at the reader's (dead) domain moves to that relay's domain."""
    relay = random.Random('relay-' + s.addr).choice(['example.com', 'example.net', 'relay.example.org', 'isp.example.net'])
    dom = re.escape(s.domain)
    text = re.sub(r'(?<=[\w-])\.' + dom + r'\b', '.' + relay, text)
    text = re.sub(r'([\w.+-]+)@' + dom + r'\b', lambda m: m.group(0) if m.group(1) == s.local else m.group(1) + '@' + relay, text)
    return text

def main():
    plans = {k: (b, TOKEN.split(p.strip())) for k, (b, p) in PLANS.items()}
    seen_ids = set()
    rows = []
    for d in ('train', 'holdout'):
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
        os.makedirs(os.path.join(HERE, d))
    for kind in sorted(plans):
        builder, plan = plans[kind]
        # Each kind has its own seeds, so adding a kind never changes another kind's mails or split.
        ctx = Ctx('corpus-' + kind)
        split = random.Random('holdout-' + kind)
        ids = [i for i in random.Random('readers-' + kind).sample(range(1000, 90000), len(plan) + 20) if i not in seen_ids][:len(plan)]
        seen_ids.update(ids)
        n = 0
        samples = []
        for i, entry in enumerate(plan):
            reason, placement, special, note, diag = parse(entry)
            sub = ids[n]; n += 1
            opts = getattr(builder, 'opts', lambda *a: {})(reason, placement, special) if hasattr(builder, 'opts') else {}
            if diag: opts = dict(opts, diag=diag)
            s = Sample(ctx, kind, reason if reason != 'none' else None, sub, placement, special, note, **opts)
            s.fixed = diag is not None
            if reason == 'none':
                s.reason = 'none'
                if special in NONFAIL or s.consequence == 'review': s.consequence = 'ignore' if placement not in ('forged', 'foreign', 'unsub-forged') else 'review'
            text = builder(s)
            if s.reason == 'host-unknown':
                text = relay_for_dead_domain(text, s)
            s.reason = s.reason if s.reason else 'none'
            auto = []
            if placement == 'forged': auto.append('forged token')
            if placement == 'foreign': auto.append('no token of ours (backscatter)')
            if kind == 'arf' and placement.startswith('quoted'): auto.append('to the plain bounce address: token in Original-Mail-From and the quoted original')
            elif placement == 'quoted': auto.append('token only in quoted original')
            if placement == 'quoted-rp' and kind != 'arf': auto.append('token only in quoted Return-Path')
            if placement == 'quoted-lu': auto.append('only the quoted List-Unsubscribe names the reader')
            if placement == 'env-noorig': auto.append('no quoted original')
            if special in NONFAIL: auto.append(special + ' DSN')
            elif special and not s.note: auto.append({'dsn': 'Exim DSN', 'plain': 'plain text'}.get(special, special))
            if s.diag and s.diag[0] and s.reason not in ('none', 'complaint'):
                auto.append(('%s %s' % (s.diag[0], s.diag[1])).strip())
            note = '; '.join(x for x in [s.note] + auto if x)
            samples.append((f'{kind}-{i + 1:02d}.eml', s, text, note))
        order = list(range(len(samples))); split.shuffle(order)
        k = max(1, min(len(samples) - 1, round(len(samples) / 3)))
        hold = set(order[:k])
        for i, (name, s, text, note) in enumerate(samples):
            d = 'holdout' if i in hold else 'train'
            with open(os.path.join(HERE, d, name), 'w', encoding='utf-8', newline='\n') as f:
                f.write(text)
            reader = '-' if s.placement in ('forged', 'foreign', 'unsub-forged') else str(s.sub)
            rows.append((f'{d}/{name}', d, kind, s.reason, s.consequence, reader, note.replace('\t', ' ')))
    with open(os.path.join(HERE, 'manifest.tsv'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('file\tset\tkind\treason\tconsequence\treader\tnote\n')
        for r in rows: f.write('\t'.join(r) + '\n')
    print(len(rows), 'samples,', len(plans), 'kinds,', sum(1 for r in rows if r[1] == 'holdout'), 'in holdout')

if __name__ == '__main__':
    main()
