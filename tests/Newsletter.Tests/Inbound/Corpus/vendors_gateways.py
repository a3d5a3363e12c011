from core import *
PLANS = {}
