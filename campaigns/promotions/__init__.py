"""Promotions: pure pricing of carts against offers, with explanations.

money.py     integer minor units, rounding modes, largest-remainder splits
rules.py     offers: stage, benefit (rule kind), scope, eligibility, window, limits, budget, stacking choices
validate.py  problems of an offer, a set of offers, a cart (reusing planning.Problem)
cart.py      cart lines, shopper, usage so far, the quote's context
book.py      OfferBook: offers validated, sorted and indexed once, quoted many times
checks.py    price-independent refusals (window, eligibility, limits, scope)
benefits.py  the arithmetic of each rule kind
pipeline.py  item → shop → platform → shipping → settlement, stacking and exclusivity
explain.py   Applied, Rejected (reason codes), Hint
quote.py     quote(cart, offers, context) -> Quote
groupbuy.py  拼团 lifecycle as pure state
"""
