"""The words the layout detection knows: column names of each field in many spellings and languages' common
forms, and the date formats it tries. Extend these tables to teach the detection a new export layout."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Known spellings of each field, compared after folding case and dropping everything but letters and digits
# ("Member_number" -> "membernumber"). Exact matches win over partial ones.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "customer_id": _words(
        "customerid customer customerno customernumber customercode custid cust client clientid clientno "
        "member memberid membernumber memberno userid user buyer buyerid shopper shopperid accountid account "
        "loyaltyid loyaltycard loyaltycardnumber cardid cardnumber kunde kundennummer kundenid kundennr "
        "idcliente cliente numcliente numeroclient idclient klant klantnummer masterid"
    ),
    "transaction_id": _words(
        "transactionid transaction transactionno transactionnumber transid txnid txn invoice invoiceno "
        "invoiceid invoicenumber order orderid orderno ordernumber receipt receiptid receiptno receiptnumber "
        "basket basketid ticket ticketid ticketno bill billno billid checkid saleid salesid bon bonnummer "
        "beleg belegnummer rechnung rechnungsnummer bestellung bestellnummer commande numcommande facture "
        "pedido factura numfactura ticketnumber"
    ),
    "date": _words(
        "date invoicedate orderdate purchasedate transactiondate saledate salesdate datetime timestamp "
        "createdat created orderedat purchasedat day datum kaufdatum bestelldatum fecha fechacompra dateachat "
        "datecommande data"
    ),
    "product_name": _words(
        "productname product item itemname itemdescription description productdescription article articlename "
        "goods name title produkt artikel artikelname bezeichnung produit libelle designation producto "
        "articulo descripcion"
    ),
    "quantity": _words(
        "quantity qty quantities units unitssold count pieces pcs numberofitems numberofcds menge anzahl "
        "stuck cantidad quantite aantal"
    ),
    "unit_price": _words(
        "unitprice price priceeach itemprice priceperunit unitcost sellingprice preis einzelpreis stueckpreis "
        "precio preciounitario prix prixunitaire prijs"
    ),
    "amount": _words(
        "amount total totalamount linetotal lineamount sales sale revenue value dollarvalue spend spent "
        "totalprice net netamount grossamount gross turnover subtotal umsatz betrag gesamt gesamtpreis "
        "importe total_importe montant bedrag"
    ),
}
# Partial matches: a column whose folded name contains one of these words (and matched no field exactly).
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "customer_id": _words("customer client member kunde cliente shopper buyer loyalty"),
    "transaction_id": _words("invoice order receipt basket transaction ticket bestell rechnung"),
    "date": _words("date datum fecha timestamp"),
    "product_name": _words("product item description artikel produit producto"),
    "quantity": _words("quantity qty units menge cantidad"),
    "unit_price": _words("unitprice price preis precio prix"),
    "amount": _words("amount total revenue sales value betrag importe montant"),
}

_TIME_SUFFIXES = ("", " %H:%M", " %H:%M:%S", "T%H:%M:%S", "T%H:%M")
_DATE_PARTS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%d-%m-%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%m/%d/%Y",
    "%m-%d-%Y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d.%m.%y",
    "%d-%m-%y",
)
DATE_FORMATS: tuple[str, ...] = tuple(part + suffix for part in _DATE_PARTS for suffix in _TIME_SUFFIXES)
ISO_FORMATS = frozenset({"%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"})
