import hmac, hashlib, base64, sys
KEY = bytes(range(1,33))
def varint(v):
    out=b''
    while v>=0x80:
        out+=bytes([(v&0x7f)|0x80]); v>>=7
    return out+bytes([v])
def tok(purpose, issue, sub):
    p=varint(issue)+varint(sub)
    mac=hmac.new(KEY, bytes([ord(purpose)])+p, hashlib.sha256).digest()[:10]
    return base64.b32encode(p+mac).decode().rstrip('=').lower()
if __name__=='__main__':
    print(tok(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
