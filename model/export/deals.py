"""The Deals sheet (every Investments row with the cash it moves within the horizon) and the Circularity sheet
(each seller's recycled share of AI revenue, and the cycles of money the model found).

The Deals sheet's columns carry defined names (deal_investor, deal_amount, deal_start, ...) that the Cash flows
formulas sum with SUMPRODUCT: a deal pays amount × its spread weight in each year, and the investee spends the
recycled share of it back with the investor.
"""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

from model.core import schema
from model.export.book import FLAG, MONEY, PERCENT, YEAR, Book, Sheet
from model.export.facts import finite_or
from model.export.plan import HEADER_ROW, Plan

DEAL_COLUMNS = (
    # (header, defined name or "", width)
    ("Investments row", "", 11), ("Investor", "deal_investor", 14), ("Investee", "deal_investee", 14),
    ("Year", "", 7), ("Amount ($B)", "deal_amount", 10), ("Kind", "deal_kind", 18), ("Recycled share", "deal_share", 10),
    ("Spread years used", "deal_spread", 10), ("Status", "", 11), ("Starts", "deal_start", 8),
    ("Debt-like", "deal_debt_like", 9), ("Paid within horizon ($B)", "", 12),
    ("Recycled revenue within horizon ($B)", "", 14), ("In a cycle", "", 9),
)
_DEBT_LIKE = tuple(k.name for k in schema.DEAL_KINDS if k.external_financing)


def deal_weight(plan: Plan, year: str) -> str:
    """The share of each deal paid in ``year`` (an array over the deals, for SUMPRODUCT): the amount is spread
    evenly over its spread years from its start, a fractional last year getting its fraction —
    (year ≥ start) × clamp(spread − (year − start), 0, 1) ÷ spread, the clamp written with comparisons so that it
    works element by element."""
    s, st = plan.name("deal_spread"), plan.name("deal_start")
    x = f"({s}-({year}-{st}))"
    return f"({year}>={st})*(({x}>=1)+({x}>0)*({x}<1)*{x})/{s}"


def write_deals(book: Book, plan: Plan) -> Sheet:
    f = plan.facts
    sheet = book.add_sheet(plan.sheets.deals)
    sheet.text(0, 0, "Deals: what each Investments row pays, and what comes back as the investor's revenue",
               book.fmt("title"), width=False)
    sheet.text(1, 0, "Paid evenly over the spread years from the start (the first model year for earlier deals); "
                     "the investee spends the recycled share back with the investor.", book.fmt("subtitle"),
               width=False)
    sheet.header(HEADER_ROW, 0, [h for h, _, _ in DEAL_COLUMNS], height=45)
    sheet.comment(HEADER_ROW, 13, "Not a formula: the cycles of money are found by a graph search in Bubblescope "
                                  "(strongly connected components), which a spreadsheet formula cannot do. Values as "
                                  "exported; re-export after changing the deals.")
    table = f.scenario.investments
    fmts = {"money": book.fmt("label", MONEY), "pct": book.fmt("label", PERCENT), "year": book.fmt("label", YEAR),
            "flag": book.fmt("flag", FLAG), "num": book.fmt("label", "0.0#")}
    last = plan.name("last_year")
    flows = {d.row: d for d in f.results.deals.deals}
    for j in range(len(table)):
        d = flows.get(j)
        if d is None:
            continue
        r = plan.deal_row(j)

        def inp(key: str, j: int = j) -> str:
            return plan.input_cell("Investments", j, key)

        def here(c: int, r: int = r) -> str:
            return xl_rowcol_to_cell(r, c)

        sheet.internal_link(r, 0, f"Investments!A{j + 2}", str(j + 2), book.fmt("link"))
        sheet.formula(r, 1, f"={inp('investor')}", d.investor)
        sheet.formula(r, 2, f"={inp('investee')}", d.investee)
        sheet.formula(r, 3, f"={inp('year')}", d.year, fmts["year"])
        sheet.formula(r, 4, f"={inp('amount')}", d.amount, fmts["money"])
        sheet.formula(r, 5, f"={inp('kind')}", d.kind)
        sheet.formula(r, 6, f"=N({inp('recycled_share')})", d.recycled_share, fmts["pct"])
        spread = inp("spread_years")
        sheet.formula(r, 7, f"=IF(N({spread})>0,{spread},1)", d.spread_years, fmts["num"])
        sheet.formula(r, 8, f"=T({inp('status')})", d.status)
        sheet.formula(r, 9, f"=MAX({here(3)},{plan.name('first_year')})", max(d.year, f.first), fmts["year"])
        debt_like = "+".join(f'({here(5)}="{k}")' for k in _DEBT_LIKE)
        sheet.formula(r, 10, f"=IF({debt_like},1,0)", 1.0 if d.kind in _DEBT_LIKE else 0.0, fmts["flag"])
        sheet.formula(r, 11, f"={here(4)}*MAX(0,MIN({here(7)},{last}-{here(9)}+1))/{here(7)}",
                      d.paid_within_horizon, fmts["money"])
        sheet.formula(r, 12, f"={here(11)}*{here(6)}", d.recycled_revenue, fmts["money"])
        sheet.text(r, 13, "yes" if d.in_cycle else "no")
    last_row = plan.deal_row(max(len(table), 1) - 1)
    for c, (_, name, width) in enumerate(DEAL_COLUMNS):
        sheet.set_width(c, width)
        if name:
            book.define(plan.name(name), sheet.span(plan.deal_row(0), c, last_row, c))
    sheet.ws.freeze_panes(HEADER_ROW + 1, 3)
    return sheet


def write_circularity(book: Book, plan: Plan) -> Sheet:
    f = plan.facts
    analysis = f.results.deals
    sheet = book.add_sheet(plan.sheets.circularity)
    sheet.text(0, 0, "Circularity: how much AI revenue is money the seller handed to the buyer first",
               book.fmt("title"), width=False)
    sheet.text(1, 0, "Recycled revenue: the share of a deal the investee spends back with the investor. Over the "
                     "whole horizon, per seller.", book.fmt("subtitle"), width=False)
    sheet.header(HEADER_ROW, 0, ["Seller", "Recycled AI revenue ($B)", "AI revenue ($B)", "Recycled share"],
                 height=30)
    money, pct = book.fmt("label", MONEY), book.fmt("label", PERCENT)
    r = HEADER_ROW + 1
    shares = analysis.recycled_share_of_revenue
    for i, company in enumerate(f.companies):
        if company not in shares:
            continue
        recycled = plan.cash.span("recycled_revenue", i)
        revenue = plan.cash.span("revenue", i)
        sheet.text(r, 0, company)
        sheet.formula(r, 1, f"=SUM({recycled})", float(f.series("recycled_revenue")[i].sum()), money)
        sheet.formula(r, 2, f"=SUM({revenue})", float(f.series("revenue")[i].sum()), money)
        b, c = xl_rowcol_to_cell(r, 1), xl_rowcol_to_cell(r, 2)
        sheet.formula(r, 3, f'=IF({c}>0,{b}/{c},"n/a")', finite_or(shares.get(company), "n/a"), pct)
        r += 1
    if r == HEADER_ROW + 1:
        sheet.text(r, 0, "No seller books recycled revenue: no deal has a recycled share.", book.fmt("subtitle"))
        r += 1

    r += 2
    sheet.text(r, 0, "Cycles of money (funding one way, purchases back the other)", book.fmt("section"),
               width=False)
    r += 1
    sheet.header(r, 0, ["Cycle", "Companies in flow order", "Length"], height=20)
    sheet.comment(r, 1, "Not a formula: found by a bounded depth-first search for simple cycles in the deal graph "
                        "(up to 6 companies, shortest first) in Bubblescope. Values as exported; re-export after "
                        "changing the deals.")
    for k, cycle in enumerate(analysis.cycles, start=1):
        r += 1
        sheet.number(r, 0, k, book.fmt("label", "0"))
        sheet.text(r, 1, " → ".join((*cycle, cycle[0])))
        sheet.number(r, 2, len(cycle), book.fmt("label", "0"))
    if not analysis.cycles:
        r += 1
        sheet.text(r, 1, "No cycles: no deal money comes back to where it started.", book.fmt("subtitle"))
    if analysis.cycles_truncated:
        r += 1
        sheet.text(r, 1, f"Only the first {len(analysis.cycles)} cycles are listed.", book.fmt("subtitle"))
        book.notes.append(f"{plan.sheets.circularity}: only the first {len(analysis.cycles)} cycles are listed")
    sheet.set_width(2, 14)
    sheet.set_width(3, 12)
    sheet.ws.freeze_panes(HEADER_ROW + 1, 1)
    return sheet
