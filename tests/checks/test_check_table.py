"""One passing and at least one failing entry for every check (a table per family)."""

from __future__ import annotations

import pytest

from toolkit.checks import available_checks

from .helpers import msgfmt_accepts, run, write_po

#: The check modules whose checks this table covers.
FAMILIES = {"formats", "markup", "plurals", "urls", "typography", "length", "workflow", "msgfmt"}
PF = "#, python-format\n"
BF = "#, python-brace-format\n"

# (check id, locale, PO entry, should the check report it?)
CASES: list[tuple[str, str, str, bool]] = [
    # placeholders ------------------------------------------------------------------------
    # Flagged python-format by pybabel, but no format string (pgAdmin's Czech, QA pass 27).
    ("placeholders", "cs", '#, python-format\n'
     'msgid "Use %FUNCTION%, %ARGS%, %SCHEMA%, and %DATABASE%"\n'
     'msgstr "Použijte %FUNCTION%, %ARGS%, %SCHEMA% a %DATABASE%"', False),
    ("placeholders", "da", PF + 'msgid "Hi %(name)s"\nmsgstr "Hej %(name)s"', False),
    # glibc's I flag (the locale's digits), as GNOME's Persian writes it: msgfmt accepts it
    # in c-format (QA pass 72); "100% Ia..." stays prose.
    ("placeholders", "fa", '#, c-format\nmsgid "Lap %i"\nmsgstr "دور %Ii"', False),
    ("placeholders", "fa", '#, c-format\nmsgid "Lap %i"\nmsgstr "دور %Is"', True),
    ("placeholders", "da", PF + 'msgid "Hi %(name)s"\nmsgstr "Hej %(navn)s"', True),
    ("placeholders", "da", PF + 'msgid "Hi %(name)s"\nmsgstr "Hej"', True),
    # Nothing formats {fields} in a template's string (Kiwi's German; QA pass 81).
    ("placeholders", "de", '#: templates/x.html:3\nmsgid "Type 0 or 1"\n'
     'msgstr "Schreibe {0} oder {1}"', True),
    ("placeholders", "de", '#: templates/x.html:3\nmsgid "Use {name} here"\n'
     'msgstr "Nimm {name} hier"', False),
    # A placeholder in a tag's attribute counts (it was hidden in the tag's token: a link
    # dropped with its placeholder kept read as a placeholder *added*; QA pass 81).
    ("placeholders", "da", PF + 'msgid "See <a href=\\"%(url)s\\">docs</a>"\n'
     'msgstr "Se dokumentationen: %(url)s"', False),
    ("placeholders", "da", PF + 'msgid "See <a href=\\"%(url)s\\">docs</a>"\n'
     'msgstr "Se <a href=\\"%(link)s\\">dokumentationen</a>"', True),
    ("placeholders", "da", PF + 'msgid "%(n)d points"\nmsgstr "%(n)s point"', True),
    ("placeholders", "da", PF + 'msgid "%s of %d"\nmsgstr "%s af %d"', False),
    ("placeholders", "da", PF + 'msgid "%s of %d"\nmsgstr "%d af %s"', True),
    ("placeholders", "da", PF + 'msgid "100%% free"\nmsgstr "100%% gratis"', False),
    ("placeholders", "da", PF + 'msgid "100%% free"\nmsgstr "100 % gratis"', True),
    ("placeholders", "da", BF + 'msgid "Go to {url}"\nmsgstr "Gå til {url}"', False),
    ("placeholders", "da", BF + 'msgid "Go to {url}"\nmsgstr "Gå til {link}"', True),
    ("placeholders", "da", BF + 'msgid "{0} of {1}"\nmsgstr "{1} af {0}"', False),
    ("placeholders", "da", BF + 'msgid "{0} of {1}"\nmsgstr "{0} af {2}"', True),
    # str.format numbers automatic fields: "{}" is "{0}", and reordering "{} from {}" needs
    # numbers (CKAN's Galician "Non se atopou {0}" blocked compile; QA pass 76) ...
    ("placeholders", "gl", BF + 'msgid "{} not found"\nmsgstr "Non se atopou {0}"', False),
    ("placeholders", "da", BF + 'msgid "{} from {}"\nmsgstr "{1} fra {0}"', False),
    ("placeholders", "da", BF + 'msgid "{} of {name}"\nmsgstr "{name}: {0}"', False),
    # ... a field beyond them is not, nor is mixing both kinds (str.format refuses it)
    ("placeholders", "da", BF + 'msgid "{} alone"\nmsgstr "{1} alene"', True),
    ("placeholders", "da", BF + 'msgid "{} and {}"\nmsgstr "{} og {0}"', True),
    ("placeholders", "da", BF + 'msgid "{} or {}"\nmsgstr "{} eller {1}"', True),
    ("placeholders", "da", 'msgid "Hi {{ name }}"\nmsgstr "Hej {{name}}"', False),
    ("placeholders", "da", 'msgid "Hi {{ name }}"\nmsgstr "Hej {{ navn }}"', True),
    # A Trac wiki code block {{{...}}} is no Jinja2 {{ }}: its comments may be translated
    # (Trac's TracAdminHelp in Danish and CommitTicketReference in Dutch; Trac, BSD licence;
    # QA pass 31). A format field inside it still counts.
    ("placeholders", "da", 'msgid "Examples:\\n{{{\\n[[TracAdminHelp]]  # all commands\\n}}}"\n'
     'msgstr "Eksempler:\\n{{{\\n[[TracAdminHelp]]  # alle kommandoer\\n}}}"', False),
    ("placeholders", "nl",
     'msgid "{{{\\n{{{\\n#!CommitTicketReference repository=\\"reponame\\"\\n}}}\\n}}}"\n'
     'msgstr "{{{\\n{{{\\n#!CommitTicketReference repository=\\"reponaam\\"\\n}}}\\n}}}"', False),
    ("placeholders", "da", PF + 'msgid "{{{#!div\\n%(name)s\\n}}}"\n'
     'msgstr "{{{#!div\\n%(navn)s\\n}}}"', True),
    # ... and in a str.format() string {{{0}}} is a literal brace around the field {0}.
    ("placeholders", "da", BF + 'msgid "Set {{{0}}}"\nmsgstr "Sæt {{{1}}}"', True),
    ("placeholders", "da", BF + 'msgid "Set {{{0}}}"\nmsgstr "Sæt {{{0}}}"', False),
    # The flags written in the file say how a string is formatted, not Babel's guess from the
    # msgid: "{scheme}" in a python-format string is text (Trac's Finnish, Brazilian and
    # Chinese catalogs; Trac, BSD licence), "%" in a python-brace-format one; msgfmt agrees.
    ("placeholders", "fi", PF + 'msgid "Unknown scheme \\"%(scheme)s\\"; database connection '
     'string must start with {scheme}:/"\nmsgstr "Tuntematon skeema \\"%(scheme)s\\"; '
     'tietokannan yhteysmerkkijonon tulee alkaa {skeema}:/"', False),
    ("placeholders", "fi", PF + 'msgid "Unknown scheme \\"%(scheme)s\\"; must start with '
     '{scheme}:/"\nmsgstr "Tuntematon skeema \\"%(skeema)s\\"; alkaa {scheme}:/"', True),
    ("placeholders", "da", BF + 'msgid "{count}% of {total}"\nmsgstr "{count} % af {total}"',
     False),
    ("placeholders", "da", BF + 'msgid "{count}% of {total}"\nmsgstr "{count} % af {sum}"',
     True),
    ("placeholders", "da", '#, python-format, python-brace-format\n'
     'msgid "%(name)s in {place}"\nmsgstr "%(name)s i {sted}"', True),
    # Without a Python format flag written, as before: {x} in the msgid counts.
    ("placeholders", "da", 'msgid "Go to {url}"\nmsgstr "Gå til {link}"', True),
    # A URL ends before a %-placeholder (Trac's Chinese "...访问http://localhost:8000/%(x)s。"
    # lost its placeholder into the link), so a placeholder inside a link is compared too.
    ("placeholders", "zh", PF + 'msgid "Then point your browser to '
     'http://localhost:8000/%(project_dir)s."\nmsgstr "然后使用您的浏览器访问'
     'http://localhost:8000/%(project_dir)s。"', False),
    ("placeholders", "da", PF + 'msgid "See https://trac.edgewall.org/%(page)s"\n'
     'msgstr "Se https://trac.edgewall.org/%(side)s"', True),
    # Jinja's newstyle gettext %-formats every translation: a lone % breaks the render.
    (
        "placeholders",
        "da",
        '#: templates/a.j2:1\nmsgid "Big sale"\nmsgstr "Udsalg 50% rabat"',
        True,
    ),
    (
        "placeholders",
        "da",
        '#: templates/a.md:1\nmsgid "Big sale"\nmsgstr "Udsalg 50% rabat"',
        False,
    ),
    # Danish "one" is n=1 only: msgfmt lets that form drop the number ...
    (
        "placeholders",
        "da",
        PF + 'msgid "%(num)d day left"\nmsgid_plural "%(num)d days left"\n'
        'msgstr[0] "Én dag tilbage"\nmsgstr[1] "%(num)d dage tilbage"',
        False,
    ),
    # ... Lithuanian form 0 is 1, 21, 31...: it must show the number.
    (
        "placeholders",
        "lt",
        PF + 'msgid "%(num)d day left"\nmsgid_plural "%(num)d days left"\n'
        'msgstr[0] "Liko viena diena"\nmsgstr[1] "Liko %(num)d dienos"\n'
        'msgstr[2] "Liko %(num)d dienų"',
        True,
    ),
    (
        "placeholders",
        "lt",
        PF + 'msgid "%(num)d day left"\nmsgid_plural "%(num)d days left"\n'
        'msgstr[0] "Liko %(num)d diena"\nmsgstr[1] "Liko %(num)d dienos"\n'
        'msgstr[2] "Liko %(num)d dienų"',
        False,
    ),
    # jinja-syntax ------------------------------------------------------------------------
    (
        "jinja-syntax",
        "da",
        'msgid "{% if vip %}Hi VIP{% endif %}"\nmsgstr "{% if vip %}Hej VIP{% endif %}"',
        False,
    ),
    (
        "jinja-syntax",
        "da",
        'msgid "{% if vip %}Hi VIP{% endif %}"\nmsgstr "{% if vip %}Hej VIP"',
        True,
    ),
    ("jinja-syntax", "da", 'msgid "Hi {{ name }}"\nmsgstr "Hej {{ name }"', True),
    # html-tags ---------------------------------------------------------------------------
    # Element names used as words in prose, never closed (pgAdmin, QA pass 27)...
    ("html-tags", "pl", 'msgid "Select <Select All> to pick every row."\n'
     'msgstr "Wybierz <Zaznacz wszystko>, aby zaznaczyć wszystkie wiersze."', False),
    ("html-tags", "pl", 'msgid "Format: label: <label>, provider: <provider>"\n'
     'msgstr "Format: label: <etykieta>, provider: <dostawca>"', False),
    # ... but markup that leaves out end tags still counts (</ul> closes something).
    ("html-tags", "da", 'msgid "<ul><li>One<li>Two</ul>"\nmsgstr "<ul>Én<li>To</ul>"', True),
    ("html-tags", "da", 'msgid "Press <b>Enter to go"\nmsgstr "Tryk Enter for at gå"', True),
    ("html-tags", "da", 'msgid "First<p>Second"\nmsgstr "Første Anden"', True),  # QA pass 28
    ("html-tags", "da", 'msgid "<b>Free</b> shipping"\nmsgstr "<b>Gratis</b> fragt"', False),
    ("html-tags", "da", 'msgid "<b>Free</b> shipping"\nmsgstr "<b>Gratis fragt"', True),
    # Formatting pairs added or dropped, the tags still nested: html-formatting's warning
    # (OctoPrint's German "<strong>not</strong> ... <strong>any</strong>" as one word,
    # "<strong>keine</strong>"; a translator's "<code>pip</code>"; QA pass 81).
    ("html-tags", "da", 'msgid "<b>Free</b> shipping"\nmsgstr "<b>Gratis</b> <i>fragt</i>"', False),
    ("html-formatting", "da", 'msgid "<b>Free</b> shipping"\n'
     'msgstr "<b>Gratis</b> <i>fragt</i>"', True),
    ("html-tags", "de", 'msgid "You should <strong>not</strong> change <strong>any</strong>"\n'
     'msgstr "Du solltest <strong>keine</strong> ändern"', False),
    ("html-formatting", "de",
     'msgid "You should <strong>not</strong> change <strong>any</strong>"\n'
     'msgstr "Du solltest <strong>keine</strong> ändern"', True),
    ("html-tags", "de", 'msgid "Update <b>now</b> with pip"\n'
     'msgstr "Jetzt mit <code>pip</code> <b>aktualisieren</b>"', False),
    ("html-formatting", "de", 'msgid "Update <b>now</b> with pip"\n'
     'msgstr "Jetzt mit <code>pip</code> <b>aktualisieren</b>"', True),
    ("html-tags", "de", 'msgid "Update with pip"\nmsgstr "Mit <code>pip</code> aktualisieren"',
     True),  # no markup in the source: a text part would show the tags
    ("html-formatting", "da", 'msgid "<b>Free</b> shipping"\nmsgstr "<b>Gratis</b> fragt"', False),
    ("html-tags", "da", 'msgid "Free shipping"\nmsgstr "<b>Gratis</b> fragt"', True),  # a text part
    ("html-tags", "da", 'msgid "<b>Free</b> shipping"\nmsgstr "<strong>Gratis</strong> fragt"',
     False),
    ("html-tags", "ru", 'msgid "<b>Preview</b> cannot display.<br />Try later."\n'
     'msgstr "<b>Просмотр</b> недоступен. Попробуйте позже."', False),
    ("html-formatting", "ru", 'msgid "<b>Preview</b> cannot display.<br />Try later."\n'
     'msgstr "<b>Просмотр</b> недоступен. Попробуйте позже."', True),
    # ... but not with attributes, other elements, or tags that no longer nest: errors.
    ("html-tags", "da", 'msgid "Update with pip"\nmsgstr "Opdatér med <code class=x>pip</code>"',
     True),
    ("html-formatting", "da", 'msgid "Update with pip"\n'
     'msgstr "Opdatér med <code class=x>pip</code>"', False),
    ("html-tags", "da", 'msgid "Update with pip"\nmsgstr "Opdatér med <span>pip</span>"', True),
    ("html-tags", "da", 'msgid "<b>Free</b> shipping"\nmsgstr "Gratis</b> fragt"', True),
    ("html-tags", "da", 'msgid "<b>Free</b> shipping"\nmsgstr "<b>Gratis</b> <i>fragt"', True),
    ("html-tags", "da", 'msgid "<b>Free</b> shipping"\nmsgstr "<b>Gratis <i>fragt</b></i>"', True),
    ("html-formatting", "da", 'msgid "<b>Free</b> shipping"\n'
     'msgstr "<b>Gratis <i>fragt</b></i>"', False),
    ("html-tags", "da", 'msgid "<b><i>Now</i></b>"\nmsgstr "<b><i>Nu</b></i>"', True),
    # A "/" between name and attributes, or odd attributes, are still markup to a browser:
    # <svg/onload=...> went into an approved translation unseen (QA pass 15).
    ("html-tags", "da", 'msgid "Hello"\nmsgstr "Hej <svg/onload=alert(document.domain)>"', True),
    ("html-tags", "da", 'msgid "Hello"\nmsgstr "Hej <img/src=x/onerror=alert(1)>"', True),
    ("html-tags", "da", 'msgid "Hi<br/>there"\nmsgstr "Hej<br/>der"', False),
    # A console path in angle brackets is no tag, although "path" is an (SVG) element name:
    # Trac's trac-admin usage in Danish and Italian (Trac, BSD licence; QA pass 31).
    ("html-tags", "da", 'msgid "Usage: trac-admin </path/to/projenv> [command]\\n"\n'
     'msgstr "Brug: trac-admin </sti/til/projenv> [kommando]\\n"', False),
    ("html-tags", "it", 'msgid "Usage: trac-admin </path/to/projenv> [command]\\n"\n'
     'msgstr "Uso: trac-admin </path/dell/ambiente> [comando]\\n"', False),
    ("html-tags", "da", 'msgid "Open <path/to/file.txt>"\nmsgstr "Åbn <sti/til/fil.txt>"', False),
    # ... while a tag beside it is still compared.
    ("html-formatting", "da", 'msgid "Run <b>trac-admin</b> </path/to/env>"\n'
     'msgstr "Kør trac-admin </sti/til/env>"', True),
    ("html-tags", "da", 'msgid "Run <p>trac-admin</p> </path/to/env>"\n'
     'msgstr "Kør trac-admin </sti/til/env>"', True),
    (
        "html-tags",
        "da",
        'msgid "<img alt=\\"cat\\" src=\\"c.png\\">"\nmsgstr "<img alt=\\"kat\\" src=\\"c.png\\">"',
        False,
    ),
    (
        "html-tags",
        "da",
        'msgid "<a class=\\"btn\\">Go</a>"\nmsgstr "<a class=\\"knap\\">Gå</a>"',
        True,
    ),
    # plural-forms ------------------------------------------------------------------------
    (
        "plural-forms",
        "lt",
        'msgid "%(n)d point"\nmsgid_plural "%(n)d points"\n'
        'msgstr[0] "%(n)d taškas"\nmsgstr[1] "%(n)d taškai"\nmsgstr[2] "%(n)d taškų"',
        False,
    ),
    (
        "plural-forms",
        "lt",
        'msgid "%(n)d point"\nmsgid_plural "%(n)d points"\n'
        'msgstr[0] "%(n)d taškas"\nmsgstr[1] "%(n)d taškai"',
        True,
    ),
    # urls --------------------------------------------------------------------------------
    # An empty path is "/" (MediaGoblin's Nynorsk dropped the slash; QA pass 84); another
    # host or path is still a change
    ("urls", "nn", 'msgid "See <a href=\\"http://mediagoblin.org/\\">the site</a>"\n'
     'msgstr "Sjå <a href=\\"http://mediagoblin.org\\">nettstaden</a>"', False),
    ("urls", "nn", 'msgid "See <a href=\\"http://mediagoblin.org/\\">the site</a>"\n'
     'msgstr "Sjå <a href=\\"http://mediagoblin.org/x\\">nettstaden</a>"', True),
    # An illustration a translation adds to its text on a reserved example host or the
    # reader's own machine (SearXNG's French; QA pass 82); not as a link target, not a host
    # anyone can own
    ("urls", "fr", 'msgid "Search URL"\n'
     'msgstr "URL de recherche (ex. https://example.org/search?q=x)"', False),
    ("urls", "fr", 'msgid "Server URL"\nmsgstr "URL du serveur (ex. http://localhost:8888/)"',
     False),
    ("urls", "fr", 'msgid "Search URL"\n'
     'msgstr "URL de recherche (ex. https://example.evil.com/login)"', True),
    ("urls", "fr", 'msgid "Search URL"\n'
     'msgstr "<a href=\\"https://example.org/x\\">URL de recherche</a>"', True),
    # ... but a number, an IPv6 address, an encoded or trailing dot, a dot of another script
    # is a real host wherever it is written (QA pass 83)
    *[("urls", "fr", f'msgid "Server URL"\nmsgstr "URL du serveur (ex. {link})"', True)
      for link in ("http://3627734734/", "http://0xd83ad6ce/", "http://[2001:db8::1]/",
                   "http://evil%2Ecom/", "http://ai./", "http://evil\uff0ecom/login",
                   "http://evil\u3002com/", "http://127.0.0.1:8888/")],
    # Links a browser opens though the text hides them: a backslash, full-width letters,
    # characters a host drops, a scheme without slashes or a backslashed // in a target,
    # character references, a URL glued to a word; a look-alike of localhost; an example
    # written as a target with a title or as a reference definition (QA pass 83)
    *[("urls", "da", f'msgid "Search the web for answers"\nmsgstr "Søg på nettet: {link}"', True)
      for link in ("http://evil.com\\\\.example.org/", "http://evil.\uff43\uff4f\uff4d/",
                   "http://\uff45\uff56\uff49\uff4c.com/", "http://evil\u200b.com/",
                   "http://evil\ufeff.com/", "[her](https:evil.com)", "[her](https:/evil.com)",
                   "<https:evil.com>", "[her](/\\\\evil.com)", "[her](https&#58;//evil.com)",
                   "[her](&#104;ttps://evil.com)", "Læshttps://evil.com/",
                   "http://l\u043ec\u0430lhost/", '[x](http://example.org \\"t\\")',
                   "\\n[1]: http://example.org",
                   # backslashes after a slashless scheme, white space a URL parser drops,
                   # a host or address domain of another script (QA pass 83, second round)
                   '<a href=\\"https:\\\\\\\\evil.com\\">x</a>', "[x](https:\\\\/evil.com)",
                   "<https:\\\\\\\\evil.com>", '<a href=\\" https:evil.com\\">x</a>',
                   '<a href=\\"ht\\ntps:evil.com\\">x</a>', '<a href=\\"https:\\tevil.com\\">x</a>',
                   '<a href=\\"https://\u4f8b\u3048.jp/login\\">x</a>',
                   "\u89c1https://\u4f8b\u5b50.\u4e2d\u56fd", "x@b\u00fccher.de",
                   "x@\u0415VIL.com", "x@evil.\u043c\u043e\u0441\u043a\u0432\u0430",
                   '<a href=\\"mailto:x%40evil.com\\">x</a>', "x@evil%2Ecom",
                   '<p style=\\"background:url(//evil.com/x.png)\\">x</p>')],
    # ... and none where the text only looks different: full-width punctuation after a link,
    # an ideographic full stop ending the sentence, an escaped & in both
    ("urls", "zh_CN", 'msgid "Visit https://nordlys.dk/help."\n'
     'msgstr "请访问 https://nordlys.dk/help。"', False),
    ("urls", "ja", 'msgid "See https://nordlys.dk/help (free)"\n'
     'msgstr "https://nordlys.dk/help（無料）を参照"', False),
    ("urls", "da", 'msgid "<a href=\\"https://x.dk/?a=1&amp;b=2\\">Help</a>"\n'
     'msgstr "<a href=\\"https://x.dk/?a=1&amp;b=2\\">Hjælp</a>"', False),
    ("urls", "da", 'msgid "<a href=\\"https://x.dk/\\" title=\\" Help page\\">Help</a>"\n'
     'msgstr "<a href=\\"https://x.dk/\\" title=\\" Hjælpeside\\">Hjælp</a>"', False),
    ("urls", "ko", 'msgid "Write to support@liberapay.com"\n'
     'msgstr "support@liberapay.com에 메일 보내기"', False),
    # ... an ideographic full stop ending the sentence before a Latin word, a particle
    # against an address or URL on a host of another script, a query parameter named like
    # an old entity, a full-width semicolon (QA pass 83, final round)
    ("urls", "zh_CN", 'msgid "Write to help@shop.com. Python users can also open an issue."\n'
     'msgstr "请写信至help@shop.com。Python用户也可以提交问题。"', False),
    ("urls", "zh_CN", 'msgid "See https://shop.dk/changelog. 2024 releases are listed."\n'
     'msgstr "参见https://shop.dk/changelog。2024年的版本已列出。"', False),
    ("urls", "ko", 'msgid "Write to info@bücher.de."\nmsgstr "info@bücher.de로 문의하세요."',
     False),
    ("urls", "ja", 'msgid "Visit https://例え.jp/ for details."\n'
     'msgstr "詳細はhttps://例え.jp/をご覧ください。"', False),
    ("urls", "zh_CN", 'msgid "Visit https://例え.jp/, or call us."\n'
     'msgstr "访问 https://例え.jp/，或致电我们。"', False),
    ("urls", "da", 'msgid "<a href=\\"https://x.dk/?id=1&region=eu\\">Shop</a>"\n'
     'msgstr "<a href=\\"https://x.dk/?id=1&amp;region=eu\\">Butik</a>"', False),
    ("urls", "ja", 'msgid "See https://shop.dk/a; more soon"\n'
     'msgstr "https://shop.dk/a；more soon"', False),
    # The same page in the reader's language (noggin's French, Korean): no error (QA pass 15).
    # The same page over https (CKAN's Chinese; QA pass 76); not the other way round
    ("urls", "zh_Hant_TW", 'msgid "See http://opendefinition.org/licenses/"\n'
     'msgstr "見 https://opendefinition.org/licenses/"', False),
    ("urls", "da", 'msgid "See https://opendefinition.org/licenses/"\n'
     'msgstr "Se http://opendefinition.org/licenses/"', True),
    ("urls", "fr_FR", 'msgid "See https://docs.fedoraproject.org/en-US/accounts/"\n'
     'msgstr "Voir https://docs.fedoraproject.org/fr-FR/accounts/"', False),
    ("urls", "da", 'msgid "See https://en.wikipedia.org/wiki/Gift"\n'
     'msgstr "Se https://da.wikipedia.org/wiki/Gift"', False),
    ("urls", "da", 'msgid "See https://nordlys.dk/en/help"\n'
     'msgstr "Se https://nordlys.dk/da/hjaelp"', True),  # the page itself changed
    ("urls", "da", 'msgid "See https://nordlys.dk/api/v1/"\n'
     'msgstr "Se https://nordlys.dk/api/v2/"', True),
    # A site whose own language has no code in its paths (privacyidea's German, QA pass 26).
    ("urls", "de", 'msgid "See https://netknights.it/en/produkte/privacyidea/"\n'
     'msgstr "Siehe https://netknights.it/produkte/privacyidea/"', False),
    ("urls", "da_DK", 'msgid "See https://nordlys.dk/help"\n'
     'msgstr "Se https://nordlys.dk/da/help"', True),  # put in: a page that may not exist
    ("urls", "da_DK", 'msgid "See https://nordlys.dk/help"\n'
     'msgstr "Se https://nordlys.dk/sv/help"', True),
    ("urls", "de", 'msgid "See https://netknights.it/en/produkte/"\n'
     'msgstr "Siehe https://netknights.evil/produkte/"', True),
    # A protocol-relative link target opens on the page's scheme: added, it is a link the
    # source does not have (QA pass 68: "[log ind her](//evil.example/login)" passed).
    ("urls", "da", 'msgid "Read the [terms](https://nordlys.dk/terms)."\n'
     'msgstr "Læs [vilkårene](https://nordlys.dk/terms) eller [log ind](//evil.example/login)."',
     True),
    ("urls", "da", 'msgid "Read the <a href=\\"https://nordlys.dk/terms\\">terms</a>."\n'
     'msgstr "Læs <a href=\\"//evil.example/terms\\">vilkårene</a>."', True),
    ("urls", "da", 'msgid "Images load from <img src=\\"//cdn.nordlys.dk/a.png\\">."\n'
     'msgstr "Billeder hentes fra <img src=\\"//cdn.nordlys.dk/a.png\\">."', False),
    ("urls", "da", 'msgid "Use a // comment or and/or."\nmsgstr "Brug en // kommentar."', False),
    # ... written as CommonMark also reads a link: a space after "](", angle brackets, a
    # reference definition (QA pass 69); but "base=//cdn..." in prose is no link.
    ("urls", "da", 'msgid "Read the terms."\nmsgstr "Læs [vilkårene]( //evil.example/t)."', True),
    ("urls", "da", 'msgid "Read the terms."\nmsgstr "Læs [vilkårene](<//evil.example/t>)."',
     True),
    ("urls", "da", 'msgid "Read [the terms][1]."\nmsgstr "Læs [vilkårene][1].\\n[1]: //evil.dk/t"',
     True),
    ("urls", "da", 'msgid "Set base=//cdn.shop.dk/assets first."\n'
     'msgstr "Sæt base = //cdn.shop.dk/assets først."', False),
    # ... an unquoted link attribute too, but not "(//" in prose (QA pass 71), and a scheme
    # in capitals is a scheme.
    ("urls", "da", 'msgid "Read <a href=\\"https://nordlys.dk/t\\">this</a>."\n'
     'msgstr "Læs <a href=//evil.example/t>dette</a>."', True),
    ("urls", "da", 'msgid "Due (2026)."\nmsgstr "Forfalder (//2026)."', False),
    # GNOME's translator-credits names its translators and their addresses (QA pass 72).
    ("urls", "da", 'msgid "translator-credits"\nmsgstr "Ole <ole@gnome.dk>\\n'
     'https://ole.dk"', False),
    ("urls", "da", 'msgid "Read the terms."\nmsgstr "Læs vilkårene på HTTPS://evil.example."',
     True),
    ("urls", "da", 'msgid "See WWW.shop.dk now"\nmsgstr "Se WWW.evil.dk nu"', True),
    ("urls", "da", 'msgid "See our shop now"\nmsgstr "Se wWw.evil-shop.dk nu"', True),
    ("urls", "da", 'msgid "Open the app"\nmsgstr "[Åbn](JavaScRIPT:alert(1)) appen"', True),
    # a script link of the source is no example a translator may replace (QA pass 75)
    ("urls", "da", 'msgid "[Chat](javascript:openChat())"\n'
     'msgstr "[Chat](javascript:fetch(evil))"', True),
    # ... and a scheme or host written in other capitals is the same link (QA pass 73)
    ("urls", "da", 'msgid "Go hTtPs://Shop.DK/Tilbud"\nmsgstr "Gå https://shop.dk/Tilbud"',
     False),
    ("urls", "da", 'msgid "Go https://shop.dk/Tilbud"\nmsgstr "Gå https://shop.dk/tilbud"',
     True),
    # ... but not a page in another language than the reader's (QA pass 16)
    ("urls", "fr_FR", 'msgid "See https://docs.fedoraproject.org/en-US/accounts/"\n'
     'msgstr "Voir https://docs.fedoraproject.org/zh-CN/accounts/"', True),
    (
        "urls",
        "da",
        'msgid "See https://nordlys.dk/help."\nmsgstr "Se https://nordlys.dk/help."',
        False,
    ),
    (
        "urls",
        "da",
        'msgid "See https://nordlys.dk/help."\nmsgstr "Se https://example.dk/hjaelp."',
        True,
    ),
    (
        "urls",
        "da",
        'msgid "Write to help@nordlys.dk"\nmsgstr "Skriv til hjaelp@nordlys.dk"',
        True,
    ),
    (
        "urls",
        "da",
        'msgid "<a href=\\"https://example.com/a\\">Rewards</a>"\n'
        'msgstr "<a href=\\"https://example.com/b\\">Bonusser</a>"',
        True,
    ),
    (
        "urls",
        "da",
        'msgid "See [your account](https://example.com/account)."\n'
        'msgstr "Se [din konto](https://example.com/account)."',
        False,
    ),
    # A sample value made only of addresses (ihatemoney's invite field placeholder, passed
    # from a Jinja2 call, not an HTML attribute): every address may be localised.
    (
        "urls",
        "fr",
        'msgid "john.doe@example.com, mary.moe@site.com"\n'
        'msgstr "marie@site.com, jean.dupont@exemple.com"',
        False,
    ),
    (
        "urls",
        "da",
        'msgid "john.doe@example.com, write to help@nordlys.dk"\n'
        'msgstr "jens@eksempel.dk, skriv til hjaelp@nordlys.dk"',
        True,
    ),
    # Where a URL ends (Trac's catalogs; Trac, BSD licence): CJK text glued to it on either
    # side, a backtick (reST/Markdown code), a "]" closing a wiki link, and a "%" that is no
    # percent-encoding are not part of it.
    ("urls", "zh", 'msgid "See http://trac.edgewall.org/wiki/TracGuide for help."\n'
     'msgstr "请访问http://trac.edgewall.org/wiki/TracGuide查看帮助。"', False),
    ("urls", "zh", 'msgid "See http://trac.edgewall.org/wiki/TracGuide for help."\n'
     'msgstr "请访问http://trac.edgewall.org/wiki/TracGuid查看帮助。"', True),
    ("urls", "da", 'msgid "See the `https://trac.edgewall.org/wiki/TracIni` page."\n'
     'msgstr "Se `https://trac.edgewall.org/wiki/TracIni`-siden."', False),
    ("urls", "sv", 'msgid "See [http://docs.python.org/library/logging.html Python logger]."\n'
     'msgstr "Se [http://docs.python.org/library/logging.html]."', False),
    ("urls", "sv", PF + 'msgid "https://ajax.googleapis.com/ajax/libs/jquery/%(version)s/j.js"\n'
     'msgstr "https://ajax.googleapis.com/ajax/libs/jquery%(version)s/j.js"', True),
    ("urls", "da", 'msgid "See https://nordlys.dk/a%20b."\nmsgstr "Se https://nordlys.dk/a%20c."',
     True),
    # A host without a dot is the reader's own machine or server, an example to adapt
    # (Trac's Korean "http://서버/파일" for "http://server/file").
    ("urls", "ko", 'msgid "The file may be `http://server/file`."\n'
     'msgstr "파일은 `http://서버/파일`일 수 있습니다."', False),
    ("urls", "fr", 'msgid "Point your browser to http://localhost:8000/trac."\n'
     'msgstr "Ouvrez http://localhost:8080/trac."', False),
    # newlines ----------------------------------------------------------------------------
    ("newlines", "da", 'msgid "Hello\\n"\nmsgstr "Hej\\n"', False),
    ("newlines", "da", 'msgid "Hello\\n"\nmsgstr "Hej"', True),
    # line-breaks, escapes (pofilter's newlines and escapes): a line break added to a one-line
    # message, a stray backslash typed for \n (Trac's French and Norwegian Bokmål; Trac, BSD
    # licence; QA pass 31).
    ("line-breaks", "fr", 'msgid "The following errors happened while copying the environment:"\n'
     'msgstr "Les erreurs suivantes sont survenues au cours de la copie de \\n"\n'
     '"l\'environnement :"', True),
    ("line-breaks", "fr", 'msgid "The following errors happened while copying the environment:"\n'
     'msgstr "Les erreurs suivantes sont survenues au cours de la copie de l\'environnement :"',
     False),
    ("line-breaks", "da", 'msgid "Name:\\nE-mail:"\nmsgstr "Navn:\\n\\nE-mail:"', True),
    ("line-breaks", "da", 'msgid "Name:\\nE-mail:"\nmsgstr "Navn:\\nE-mail:"', False),
    ("line-breaks", "da", 'msgid "Name:\\nE-mail:"\nmsgstr "Navn:\\r\\nE-mail:"', True),
    ("escapes", "nb", 'msgid "This information is used to automatically populate some forms\\n"\n'
     '"        on this site with your contact details."\n'
     'msgstr "Denne informasjonen benyttes i prosjektet til automatisk å fylle\\\\"\n'
     '"        inn noen skjema med dine kontaktdetaljer."', True),
    ("escapes", "da", 'msgid "Match \\\\d+ digits"\nmsgstr "Matcher \\\\d+ cifre"', False),
    # untranslated / fuzzy / mt-unreviewed --------------------------------------------------
    ("untranslated", "da", 'msgid "Open"\nmsgstr "Åbn"', False),
    ("untranslated", "da", 'msgid "Open"\nmsgstr ""', True),
    (
        "untranslated",
        "lt",
        'msgid "a day"\nmsgid_plural "days"\nmsgstr[0] "diena"\nmsgstr[1] ""\nmsgstr[2] "dienų"',
        True,
    ),
    ("fuzzy", "da", 'msgid "Open"\nmsgstr "Åbn"', False),
    ("fuzzy", "da", '#, fuzzy\nmsgid "Open"\nmsgstr "Åben"', True),
    ("fuzzy", "da", '# mt: argos en->da\n#, fuzzy\nmsgid "Open"\nmsgstr "Åben"', False),
    ("mt-unreviewed", "da", '# mt: argos en->da\nmsgid "Open"\nmsgstr "Åbn"', False),
    ("mt-unreviewed", "da", '# mt: argos en->da\n#, fuzzy\nmsgid "Open"\nmsgstr "Åben"', True),
    # whitespace --------------------------------------------------------------------------
    ("whitespace", "da", 'msgid "Total: "\nmsgstr "I alt: "', False),
    ("whitespace", "da", 'msgid "Total: "\nmsgstr "I alt:"', True),
    ("whitespace", "da", 'msgid "Total"\nmsgstr " I alt"', True),
    # double-space ------------------------------------------------------------------------
    # A NUL or ESC in a msgstr passed check and compile and reached the message (QA pass 16).
    ("control-characters", "da", 'msgid "Your order"\nmsgstr "Din ordre"', False),
    ("control-characters", "da", 'msgid "Your order"\nmsgstr "Din\x07 ordre"', True),
    ("control-characters", "da", 'msgid "Your order"\nmsgstr "Din \x1b[2Jordre"', True),
    # An embedding or isolate left open turns the template's text after it (QA pass 81).
    ("control-characters", "da", 'msgid "Your order"\nmsgstr "Din \u202bordre"', True),
    ("control-characters", "da", 'msgid "Your order"\nmsgstr "Din \u2067ordre"', True),
    ("control-characters", "da", 'msgid "Your order"\nmsgstr "Din \u2067ordre\u2069"', False),
    ("control-characters", "da", 'msgid "Your order"\nmsgstr "Din \u202bordre\u202c"', False),
    ("control-characters", "ar", 'msgid "Your order"\nmsgstr "طلبك \u202bX"', False),
    ("double-space", "da", 'msgid "Your  order"\nmsgstr "Din  ordre"', False),
    ("double-space", "da", 'msgid "Your order shipped"\nmsgstr "Din ordre  er sendt"', True),
    # end-punctuation ---------------------------------------------------------------------
    (
        "end-punctuation",
        "da",
        'msgid "Your order has shipped."\nmsgstr "Din ordre er sendt."',
        False,
    ),
    ("end-punctuation", "da", 'msgid "Your order has shipped."\nmsgstr "Din ordre er sendt"', True),
    ("end-punctuation", "da", 'msgid "Are you sure?"\nmsgstr "Er du sikker."', True),
    ("end-punctuation", "da", 'msgid "Loading..."\nmsgstr "Indlæser…"', False),
    (
        "end-punctuation",
        "lt",
        'msgid "Join the \\"Points Club.\\""\nmsgstr "Prisijunkite prie „Taškų klubo.“"',
        False,
    ),
    (
        "end-punctuation",
        "lt",
        'msgid "Welcome to \\"Points Club\\"."\nmsgstr "Sveiki atvykę į „Taškų klubą“."',
        False,
    ),
    (
        "end-punctuation",
        "da",
        'msgid "Welcome to <b>Points Club</b>."\nmsgstr "Velkommen til <b>Pointklubben.</b>"',
        False,
    ),
    ("end-punctuation", "el", 'msgid "Are you sure?"\nmsgstr "Είστε σίγουροι;"', False),
    ("end-punctuation", "ja", 'msgid "Thank you."\nmsgstr "ありがとうございます。"', False),
    # doubled-words -----------------------------------------------------------------------
    ("doubled-words", "da", 'msgid "You have points"\nmsgstr "Du har point"', False),
    ("doubled-words", "da", 'msgid "You have points"\nmsgstr "Du har har point"', True),
    ("doubled-words", "fr", 'msgid "We apologise"\nmsgstr "Nous nous excusons"', False),
    # Albanian "të të" (CKAN's 18, all grammar; QA pass 76), German relative "die die"
    ("doubled-words", "sq", 'msgid "to help you"\nmsgstr "për të të ndihmuar"', False),
    ("doubled-words", "de", 'msgid "Users who own the data"\n'
     'msgstr "Benutzer, die die Daten besitzen"', False),
    # German polite "Sie" + object "sie" (ihatemoney's, MoinMoin's; QA pass 82)
    ("doubled-words", "de", 'msgid "Drop it here"\nmsgstr "Legen Sie sie hier ab"', False),
    # Dutch subject + possessive "je je", Vietnamese "danh sách sách" (calibre-web's; QA 83)
    ("doubled-words", "nl", 'msgid "Do you really want to delete the Kobo Token?"\n'
     'msgstr "Wil je je Kobo Token echt verwijderen?"', False),
    ("doubled-words", "vi", 'msgid "Books List"\nmsgstr "Danh sách sách"', False),
    ("doubled-words", "nl", 'msgid "Delete"\nmsgstr "Verwijder verwijder"', True),
    ("doubled-words", "sq", 'msgid "Save"\nmsgstr "Ruaj ruaj"', True),
    ("doubled-words", "da", PF + 'msgid "%(a)s and %(b)s"\nmsgstr "%(a)s og %(b)s"', False),
    # identical ---------------------------------------------------------------------------
    ("identical", "da", 'msgid "Thank you for your order"\nmsgstr "Tak for din ordre"', False),
    (
        "identical",
        "da",
        'msgid "Thank you for your order"\nmsgstr "Thank you for your order"',
        True,
    ),
    ("identical", "da", 'msgid "MobilePay"\nmsgstr "MobilePay"', False),
    ("identical", "da", 'msgid "OK"\nmsgstr "OK"', False),
    ("identical", "da", 'msgid "income_report_{period}"\nmsgstr "income_report_{period}"', False),
    ("identical", "da", PF + 'msgid "%(amount)s"\nmsgstr "%(amount)s"', False),
    ("identical", "da", 'msgid "https://example.com/a"\nmsgstr "https://example.com/a"', False),
    # length ------------------------------------------------------------------------------
    ("length", "da", "#. part: sms\n" + f'msgid "{"x" * 150}"\nmsgstr "{"y" * 155}"', False),
    ("length", "da", "#. part: sms\n" + f'msgid "{"x" * 150}"\nmsgstr "{"y" * 165}"', True),
    # 'ų' is not GSM-7: the SMS is UCS-2 and 70 characters fill a segment.
    ("length", "lt", "#. part: sms\n" + f'msgid "{"x" * 60}"\nmsgstr "{"ų" * 75}"', True),
    (
        "length",
        "lt",
        "#. part: sms\n" + PF + f'msgid "%(name)s {"x" * 60}"\nmsgstr "%(name)s {"ų" * 65}"',
        False,
    ),
    ("length", "da", '#. part: push_title\nmsgid "Your points"\nmsgstr "Dine point"', False),
    (
        "length",
        "da",
        f'#. part: push_title\nmsgid "Your points"\nmsgstr "{"Dine point " * 5}"',
        True,
    ),
    ("length", "da", f'#. part: subject\nmsgid "Points"\nmsgstr "{"p" * 55}"', True),
    ("length", "da", '#, max-length:10\nmsgid "Save"\nmsgstr "Gem"', False),
    ("length", "da", '#, max-length:10\nmsgid "Save"\nmsgstr "Gem ændringerne"', True),
    ("length", "da", '#. max-length: 10\nmsgid "Save"\nmsgstr "Gem ændringerne"', True),
]


def _case_id(case: tuple[str, str, str, bool]) -> str:
    return f"{case[0]}-{'fails' if case[3] else 'passes'}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_check_table(tmp_path, case):
    check_id, locale, entry, fails = case
    path = write_po(tmp_path, locale, entry)
    report = run(path, locale, check_id)
    messages = [f.message for f in report.findings if f.check == check_id]
    assert bool(messages) == fails, messages
    if fails:
        finding = report.findings[0]
        assert finding.line == _msgid_line(path)
        assert finding.locale == locale
    elif check_id not in ("fuzzy", "mt-unreviewed", "untranslated", "plural-forms"):
        # every passing catalog is one GNU msgfmt accepts
        assert msgfmt_accepts(path), path.read_text("utf-8")


def _msgid_line(path):
    lines = path.read_text("utf-8").splitlines()
    return [i for i, line in enumerate(lines, 1) if line.startswith("msgid ")][1]


def test_every_check_has_a_passing_and_a_failing_case():
    covered = {(c[0], c[3]) for c in CASES} | {("plural-header", True), ("plural-header", False)}
    covered |= {("msgfmt", True), ("msgfmt", False)}  # test_catalog_checks.py
    for check in available_checks():
        if type(check).__module__.rsplit(".", 1)[-1] not in FAMILIES:
            continue  # another family (the glossary) tests its checks in its own tests
        assert (check.id, True) in covered and (check.id, False) in covered, check.id


def test_a_changed_leading_or_trailing_newline_is_one_finding(tmp_path):
    """The newlines error, not also a line-breaks warning for the same newline."""
    entries = ('msgid "Hello\\n"\nmsgstr "Hej"', 'msgid "\\nBye"\nmsgstr "Farvel"')
    path = write_po(tmp_path, "da", *entries)
    report = run(path, "da", "newlines", "line-breaks")
    assert [(f.check, f.severity) for f in report.findings] == [("newlines", "error")] * 2
