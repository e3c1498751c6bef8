// Generated once by the Python script at the end of this file with Pillow 13.0.0
// (libjpeg-turbo 3.2.0): the expected pixels are what Pillow decodes. Do not edit.

/// A tiny image file and what Pillow makes of it.
struct PillowDecodedImage: Sendable {
    let name: String
    let note: String
    let file: String
    let pillowMode: String
    let width: Int
    let height: Int
    /// Image.open(file).convert("RGB"), HWC.
    let rgb: String
}

/// Pillow's Image.resize((width, height), Image.BICUBIC) of `PillowReference.resizeSource`.
struct PillowResize: Sendable {
    let width: Int
    let height: Int
    let rgb: String
}

/// A JPEG carrying an EXIF Orientation tag, with Pillow's decode before and after
/// ImageOps.exif_transpose.
struct PillowOrientedJPEG: Sendable {
    let orientation: Int
    let file: String
    let storedWidth: Int
    let storedHeight: Int
    let storedRGB: String
    let uprightWidth: Int
    let uprightHeight: Int
    let uprightRGB: String
}

/// Base64 throughout, to keep the file small.
enum PillowReference {
    static let decodedImages: [PillowDecodedImage] = [
        PillowDecodedImage(
            name: "grey8", note: "8-bit greyscale (L)",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFCAAAAACs8akEAAAAMUlEQVR42mPwfuocEfSojMH94cYS3gtBDLu8/78pUrVnsLhZ/vaveTfDHf6Mhsm1wQBruRIij4tDWQAAAABJRU5ErkJggg==",
            pillowMode: "L", width: 7, height: 5,
            rgb: "S0tL5eXlQ0NDWFhYUlJS4uLidnZ2R0dH4eHhsbGxdHR0DQ0N0NDQUlJSurq6S0tL////7OzscnJyJSUlPz8/ODg42dnZd3d37e3t/f39Nzc3i4uL3NzcDw8PaGhogICAk5OTfX19U1NT"),
        PillowDecodedImage(
            name: "grey1", note: "1-bit greyscale (mode 1)",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFAQAAAACh4ct1AAAAEklEQVR42mOQYJjC8IZBicECAAooAfMRzAK2AAAAAElFTkSuQmCC",
            pillowMode: "1", width: 7, height: 5,
            rgb: "AAAAAAAAAAAA////////AAAAAAAA////AAAAAAAA////AAAA////AAAA////////////AAAA////////AAAAAAAAAAAA////AAAAAAAAAAAA////AAAAAAAA////////////AAAAAAAA"),
        PillowDecodedImage(
            name: "grey2", note: "2-bit greyscale, scaled by bit replication",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFAgAAAADmQbGlAAAAF0lEQVR42mOYbcGgL8OgmcGw/gjDGh0AGp0D++fEp+wAAAAASUVORK5CYII=",
            pillowMode: "L", width: 7, height: 5,
            rgb: "qqqqVVVVqqqq////AAAA////qqqqAAAAqqqq////////AAAAVVVV////AAAAqqqqqqqqVVVVVVVVqqqqqqqqqqqqqqqq////////////AAAAVVVVqqqqqqqq////AAAAAAAAqqqq////"),
        PillowDecodedImage(
            name: "grey4", note: "4-bit greyscale",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFBAAAAABpAUQFAAAAIUlEQVR42mOIrjqUwJBftPUDgzRzTwPDcZcCBwbZTgMDAHVoCGmxCjpYAAAAAElFTkSuQmCC",
            pillowMode: "L", width: 7, height: 5,
            rgb: "VVVVu7u7d3d3qqqqzMzMIiIiZmZmZmZm////d3d3IiIiu7u7VVVV////ERERu7u7AAAAMzMziIiIzMzMiIiIzMzMd3d3REREREREd3d3AAAAREREERER3d3diIiImZmZMzMzAAAAMzMz"),
        PillowDecodedImage(
            name: "grey16", note: "16-bit greyscale (I;16), values above 255 clamp",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFEAAAAAD8YXVHAAAAU0lEQVR42g3JoRGCYAAG0PclZqCxBHcsgENYcQe3cAIDicoCHMnkHYUVjBS64ddXH0pRwmnPQ25eaTx17lmkT6U3G33VvA3/PbQ+NlnTmnK1uqh/7Z8SyZrdOKgAAAAASUVORK5CYII=",
            pillowMode: "I;16", width: 7, height: 5,
            rgb: "AAAA////////////8PDw0tLS////////xMTE////nJycODg4d3d3////////////RUVFr6+voKCg+/v7GRkZysrKY2Nj////6+vrNTU14+Pjzc3N////////pqam////vr6+RkZGGRkZ"),
        PillowDecodedImage(
            name: "grey8_trns", note: "tRNS ignored",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFCAAAAACs8akEAAAAAnRSTlMABQb5ObcAAAAzSURBVHjaASgA1/8ArxjETdogRwAdYBQ2VvLTAE8O06vWQw4AEpnekQtDyACMkX27sEivL/4QKuR8ZZEAAAAASUVORK5CYII=",
            pillowMode: "L", width: 7, height: 5,
            rgb: "r6+vGBgYxMTETU1N2traICAgR0dHHR0dYGBgFBQUNjY2VlZW8vLy09PTT09PDg4O09PTq6ur1tbWQ0NDDg4OEhISmZmZ3t7ekZGRCwsLQ0NDyMjIjIyMkZGRfX19u7u7sLCwSEhIr6+v"),
        PillowDecodedImage(
            name: "grey_alpha8", note: "8-bit grey + alpha (LA)",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFCAQAAAAjkz5TAAAAVklEQVR42gFLALT/ACCjIEcIESexbldvkgJJAB9s9YGEMjpLtBH+g49GAC/Pxpqu2Y/4/ZRX6BVDAKXkoHbifIQhfx6jUd7JAJcEVu5yGnlP1LRttWbxjEUiJrTLrxMAAAAASUVORK5CYII=",
            pillowMode: "LA", width: 7, height: 5,
            rgb: "ICAgICAgCAgIJycnbm5ub29vAgICHx8f9fX1hISEOjo6tLS0/v7+j4+PLy8vxsbGrq6uj4+P/f39V1dXFRUVpaWloKCg4uLihISEf39/o6Oj3t7el5eXVlZWcnJyeXl51NTUbW1tZmZm"),
        PillowDecodedImage(
            name: "grey_alpha16", note: "16-bit grey + alpha, high byte",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFEAQAAABzA+IQAAAAnElEQVR42gGRAG7/AK/17DkC4bMJiUgHQk/VNTKQIyUr54cb3TjnZ+wAmt8AijKKXCNRBCNJEAWybJ22joyzo6sbQnDZLwCbtBvvlo1TgI7KOee90y3IN//hymD0hLRXZyr0AJFHa9Sn++Cn8aMZ8giLFCnXSN8slFb/ax9A3h4AmnQxAQW6LiA8oNsnzVnMam+IDcixVMgrIfFIZPQbQ4QkFhOsAAAAAElFTkSuQmCC",
            pillowMode: "RGBA", width: 7, height: 5,
            rgb: "r6+vAgICiYmJT09PkJCQ5+fnODg4mpqaMjIyUVFREBAQnZ2ds7OzQkJCm5ublpaWjo6Ovb29Nzc3YGBgV1dXkZGRp6en8fHxCAgI19fXlJSUHx8fmpqaBQUFPDw8zc3Nb29vsbGxISEh"),
        PillowDecodedImage(
            name: "rgb16", note: "16-bit RGB, high byte",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFEAIAAABWaL3MAAAA4klEQVR42gHXACj/AAAA//8A/wEAdUt++kEmKXKRLG1TltSh6E7o+7kW59tO285J+CbXgGCyWgCWPMMoT0hF/Ej+mbICS+wwhE8ND1hLxD1V2dRge1tkrkrHKfLXxiavGs0AhyUUoU1S2DnwKoy6PymzjMy71ZL9nEGyTIm7C5zVqp8H1WM9o66MvFayAGkKpHXNauTGfCOijF8lrmuicyahTEUTNFIaGPKZLi7XwFfqi2qoa0NdlgCbT22Au0TQ3x+2l/1gTgIS/4/DrkPvl4GVIxvGcREtkb3o+L7d9xqUQImaPWkFruu5CAAAAABJRU5ErkJggg==",
            pillowMode: "RGB", width: 7, height: 5,
            rgb: "AP8AAXV+QSmRbZahTvsW29tJJoCylsNPRUiZAuyEDVjEVdR7ZEop1yYahxRN2PCMP7PM1f1BTLucqgdjo4xWaaTN5HyiX66iJkwTUhiZLsDqamtdm2270B+XYAL/w0OXlRtxLb343RpA"),
        PillowDecodedImage(
            name: "rgba16", note: "16-bit RGBA, high byte",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFEAYAAADZCiqbAAABKElEQVR42gEdAeL+ACyQu+WkSwPGRg4iehhyLV8FacvlQcWGGMEM61ABbiM19FikJkdfpN7Tigpk7fEx9aIhIawMZZ8fAARKl4hAPyccpber50zcXeclSjSWQoP7cbuJPc5XLnLWz3j4Bi9Mbl11C/QWrpc5rzuhm1QxcrggAIWZABjhR7Qkls/Y0/JaobPtXAlB2QiXQBQ4OjX2KtMOzUuF89ebIhazoUwYMWIg/lNfK3jcyqgKAKEaXfAGj0QRp7JZDbIFI0uWyQkbXCGy7ktpZFmaFHrrirmieFHgDHhpktKHdOYNWm/DGIhuae/mAPcpKoaDe+373L2PqzkKgRh4c/mBzacfU0oJ3IqgqIpJ7D5PjZ2i1mYNOaB8QB6I9Ez8T4TKJfnyqjeDIYcmOS0AAAAASUVORK5CYII=",
            pillowMode: "RGBA", width: 7, height: 5,
            rgb: "LLukRiIYBctBwesB9KRH0wrtoiEMBJdApatMJTRCuz1Xz/gvdfSuO5sxhQDhltjy7QnZFDr2zYXXs0wxUyvcoV0Gp1mylglcS2SaiqJRadJ0bxhu9yqD3I85ePnNStyg7E+dDaBATE/K"),
        PillowDecodedImage(
            name: "rgb8_trns", note: "RGB with tRNS ignored",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFCAIAAAAG+GGPAAAABnRSTlMAAQACAAPJS6v1AAAAeUlEQVR42gFuAJH/ADzJQmCDPKBq3itflEAchynnMwsAtwDGEhdfWrGw1Z2LAmPpxulFik14+TEAR5kG+DgNoB/427qWy+H2JJyznLjAAE+tWK2Phbu9fE/N3gSi4kD3IHraYgCYfhgS12GLX6bsXZQTSAcngaJFY47m9zOjKawZrgAAAABJRU5ErkJggg==",
            pillowMode: "RGB", width: 7, height: 5,
            rgb: "PMlCYIM8oGreK1+UQByHKeczCwC3xhIXX1qxsNWdiwJj6cbpRYpNePkxR5kG+DgNoB/427qWy+H2JJyznLjAT61YrY+Fu718T83eBKLiQPcgetpimH4YEtdhi1+m7F2UE0gHJ4GiRWOO"),
        PillowDecodedImage(
            name: "rgb8_colour_chunks", note: "gAMA/cHRM ignored",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFCAIAAAAG+GGPAAAABGdBTUEAAYagMeiWXwAAACBjSFJNAAB6JgAAgIQAAPoAAACA6AAAdTAAAOpgAAA6mAAAF3CculE8AAAAeUlEQVR42gFuAJH/AG9R+Pw05YAzWkX2Gc9bRccl3NRangBotGiMMrgbIxsXnvktfAhCoqnx3P8A5V3I7+h3aqsuplR98X1UuKtgXjOyAABXFtkh3vqZnMS1ExK4CcXnRcZeiAACVq8fqxn/0TXd06Kw/d1fbDEC3J+qZjbL7+9k0gAAAABJRU5ErkJggg==",
            pillowMode: "RGB", width: 7, height: 5,
            rgb: "b1H4/DTlgDNaRfYZz1tFxyXc1FqeaLRojDK4GyMbF575LXwIQqKp8dz/5V3I7+h3aqsuplR98X1UuKtgXjOyAFcW2SHe+pmcxLUTErgJxedFxl6IAlavH6sZ/9E13dOisP3dX2wxAtyf"),
        PillowDecodedImage(
            name: "palette8_trns", note: "8-bit palette with tRNS (ignored)",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFCAMAAAC+RAbqAAAAMFBMVEV5MIH/SJb31T5E6hzGySeFB+9bpEUywYLurdfIUkkHyjRrythkmI8oDe+UpTwggOyBh3ghAAAABHRSTlMAQP8KsPj/NgAAACtJREFUeNoFwYcBACAIA7ACogyl/39rglVXnA5tRFuBI9NIHNHkdtDQz+IDFFYBBNQqO/AAAAAASUVORK5CYII=",
            pillowMode: "P", width: 7, height: 5,
            rgb: "xsknB8o0ZJiP/0iWhQfvIIDshQfv99U+a8rYeTCB7q3Xa8rYROocB8o0IIDslKU8/0iWlKU8a8rYeTCByFJJMsGC/0iW99U+yFJJIIDsW6RFhQfvIIDsROoceTCBa8rYKA3vROoc7q3X"),
        PillowDecodedImage(
            name: "palette4", note: "4-bit palette",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFBAMAAAB7tOvrAAAAMFBMVEV5MIH/SJb31T5E6hzGySeFB+9bpEUywYLurdfIUkkHyjRrythkmI8oDe+UpTwggOyBh3ghAAAAIklEQVR42mN4F7grgaEkymkBw4vNMxcwJBrHBjDc3fBkAQCICQswBkzwTQAAAABJRU5ErkJggg==",
            pillowMode: "P", width: 7, height: 5,
            rgb: "lKU8lKU8hQfv/0iWa8rYB8o0W6RFMsGCxsknhQfvB8o0xskn99U+B8o0lKU87q3Xa8rYROocyFJJyFJJB8o0W6RF/0iWROocROochQfvKA3vhQfvKA3vKA3va8rYeTCBlKU8xsknB8o0"),
        PillowDecodedImage(
            name: "palette2", note: "2-bit palette",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFAgMAAAD09B5LAAAAMFBMVEV5MIH/SJb31T5E6hzGySeFB+9bpEUywYLurdfIUkkHyjRrythkmI8oDe+UpTwggOyBh3ghAAAAF0lEQVR42mPYfodhfgkD5xKG/Q0MtR4ALFsFWMbYevUAAAAASUVORK5CYII=",
            pillowMode: "P", width: 7, height: 5,
            rgb: "99U+ROoc/0iWROocROoc/0iWROoc99U+/0iWROocROoc/0iWROoc/0iWeTCBeTCB99U+/0iW99U+99U+/0iW99U+ROocROocROoc99U+eTCBeTCB/0iWROocROoc/0iW/0iWeTCB99U+"),
        PillowDecodedImage(
            name: "palette1", note: "1-bit palette",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFAQMAAACzVGSbAAAAMFBMVEV5MIH/SJb31T5E6hzGySeFB+9bpEUywYLurdfIUkkHyjRrythkmI8oDe+UpTwggOyBh3ghAAAAEklEQVR42mOwYWhg0GDoY3gGAAj+All8fYHsAAAAAElFTkSuQmCC",
            pillowMode: "P", width: 7, height: 5,
            rgb: "eTCBeTCB/0iW/0iW/0iW/0iWeTCB/0iWeTCBeTCBeTCBeTCBeTCBeTCBeTCBeTCB/0iWeTCB/0iWeTCBeTCB/0iWeTCBeTCBeTCB/0iW/0iW/0iW/0iW/0iW/0iWeTCBeTCB/0iW/0iW"),
        PillowDecodedImage(
            name: "palette_index_past_plte", note: "indices past PLTE are black",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAcAAAAFAgMAAAD09B5LAAAACVBMVEV5MIH/SJb31T7tBmHtAAAAF0lEQVR42mOY18IgJMOw6QbD8xiGFTsAJLgFflppGV4AAAAASUVORK5CYII=",
            pillowMode: "P", width: 7, height: 5,
            rgb: "99U+/0iWAAAA99U+99U+eTCB/0iWeTCB/0iWeTCB99U+eTCB/0iWAAAA99U+AAAAeTCB99U+AAAA/0iW99U+AAAA99U+/0iWAAAA/0iW/0iWAAAA99U+99U+99U+eTCB99U+AAAA99U+"),
        PillowDecodedImage(
            name: "interlaced_rgb8", note: "Adam7 RGB",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAsAAAAJCAIAAAEcAXHsAAABR0lEQVR42gE8AcP+APOpryr2/wBI41tfKxkAv9ilABby5gAjueS78uulgCUAvbUY/JO86qhvAISLdpluDMsLJQDaZtzDrFfC3NYAtNa/D4ox2udHRrxLK+9pT1CoANooqGHrqFzor6Jdn4QVxmyTkQBC04vPcVi1BwnVE/6Qg8cAEoPS40rg+gvA48Bzc+0qADVFDrkzQtnb9BUCSjgaMQA7xXd291ClS7RIVldmeU8AEG31EarAY6FR16qiTYcYADdErhegfU4PdoOd9O5WiEqLGU0y2TnheLaTBBNizjp9xgCZHnqUN8s7VOnCxMcbE7+RJO2dh6KSdTLI1xw2S4ghI1cAiffORSXIFQveFLuGVOLNzgNxRemGoQcUkDsyjI/5hQfJAP+mFt4vQ/m4eqPaIb1mCVyMG4asz4XpAmJaFUzEDkJMsfPolZFfu3hvAAAAAElFTkSuQmCC",
            pillowMode: "RGB", width: 11, height: 9,
            rgb: "86mvQtOLvbUYz3FYv9iltQcJ/JO81RP+Kvb/kIPH6qhvN0SuF6B9Tg92g5307laISosZTTLZOeF4tpMEE2LOOn3GtNa/EoPSD4ox40rg2udH+gvARrxL48BzK+9pc+0qT1ComR56lDfLO1TpwsTHGxO/kSTtnYeiknUyyNccNkuIISNXI7nkNUUOhIt2uTNCu/Lr2dv0mW4MFQJKpYAlOBoxywsliffORSXIFQveFLuGVOLNzgNxRemGoQcUkDsyjI/5hQfJ2iioO8V3YeuodvdQXOivpUu0ol2fSFZXhBXGZnlPbJOR/6YW3i9D+bh6o9ohvWYJXIwbhqzPhekCYloVTMQOQkyxSONbEG312mbcEarAFvLmY6FRw6xX16qiXysZTYcYwtzW"),
        PillowDecodedImage(
            name: "interlaced_rgba8", note: "Adam7 RGBA",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAsAAAAJCAYAAAGTY+a7AAABqklEQVR42gGfAWD+APyXc/2FGSEPABSteV/PvC/uAOWSwr4AYUXutQBKvT2OdEDAElnIfhQA76jhMmlX+EbJnB1aAERJNYsllizzhe3SIgD578FaPOGzH7sK02MAeCczu5KIH0TXN3zOuCvwn+lGfYTcLanMALeTM54S5fz7zFfFSXU3mnYZcztnzU22IgDdv0NDGTXjx0kVohlCzEfiHNcxcAD2GTPyPGjqogXOG2eYC12vLnM/DgAPaTCcB1zSBSbDo/bbl2guoLZC7gA/ifpfMarm4c/wzRvv48ctTGiP0AAAzM/WJD3WT4bz6QGjn54zQADX4wDShtxv++1W3UtSJJJl5Qez5aVZTSsRuI/fNY4vjlRzLXwzE3L+aPCehN5YHgDOgfRuHOtmGpNc99UuSL3VVZxyFoFyv++0a+gIGZz8UPjWcjAZ/875rn2mzAD3Q8tU8o/fY+1Mo1jqRO2D+lny7ImbcVkPKjQnkVXLA84NRWE4CwgSXO6JwgCnA3pSextfp4or2dNte0TTWuBHo3lIcsDrfjWooz2pwbQuK8+L8/n9NiiT8HZny755EQKiAAAAAElFTkSuQmCC",
            pillowMode: "RGBA", width: 11, height: 9,
            rgb: "/Jdz3b9D76jhGTXj5ZLCSRWiaVf4QsxHhRkhHNcxyZwd0obc++1WS1IkZeUH5aVZKxG43zWOjlRzfDMT/mjwhN5YeCcz9hkzkogfPGjq1zd8Bc4buCvwmAtd6UZ9LnM/3C2pzoH0HOtmk1z3Lki9VZxygXK/tGvoGZz8+NZyGf/Orn2mSr09D2kwREk1B1zSdEDAJsOjJZYs25doWch+oLZChe3S90PL8o/f7Uyj6kTt+lnyiZtxDyo0kVXLzg1FOAsIXO6Jt5MzP4n6EuX8MarmzFfFz/DNdTea7+PHGXM7TGiPzU22pwN6extfiivZbXtEWuBHeUhy6341oz2ptC4ri/P5NiiTFK15AMzP+e/BJD3WYUXuhvPpPOGzo5+ez7wvQADXuwrT"),
        PillowDecodedImage(
            name: "interlaced_grey2", note: "Adam7 2-bit grey",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAsAAAAJAgAAAAH8uKHGAAAAPklEQVR42mM4wLCAgYHBgcGHIYahh2EOQ9sDBu0EBk0HBq8GhhcNDG8cGM4xMJybcIKhOvMIA9d2EYYI0TkAfE4Po49ZUJMAAAAASUVORK5CYII=",
            pillowMode: "L", width: 11, height: 9,
            rgb: "////AAAAVVVVqqqqAAAAqqqqVVVVVVVVAAAAVVVV////////AAAA////qqqqqqqqVVVVAAAAAAAA////AAAAqqqqqqqqVVVVAAAAAAAAVVVVqqqqqqqqqqqq////qqqqqqqqVVVV////qqqq////VVVVqqqqqqqqVVVV////AAAAVVVVVVVV////qqqqqqqqAAAAqqqqAAAAAAAA////qqqq////AAAAAAAAqqqqqqqqqqqq////VVVV////AAAAVVVVVVVVAAAA////qqqqqqqqqqqq////////AAAAVVVVVVVVqqqqVVVVVVVVqqqqAAAAAAAAVVVVVVVVVVVVqqqqVVVV////qqqq////qqqqAAAAVVVV////VVVVqqqqqqqqAAAA////"),
        PillowDecodedImage(
            name: "interlaced_grey16", note: "Adam7 16-bit grey",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAsAAAAJEAAAAAHmmGUkAAAAwElEQVR42g2Nv0pCcQBGzwncnUQkGo2LQxBkyzWrKfANBNsEIXJxrKV/Q4STNApC9QBCLvUAUooOrpFNLdrU4NBw+y2Hs5zvA1zCpWIX0lj3iUdIbDggeJ4ONtjiFVLOmFGiwBtBN9kx4y1fJEnod53zjVUzxD67DevUXHDkGItkzbLPPfwS88OGf/BJ5Gk4Hvpimw/PXHkIEe/WnLLmuWVjS6Z8wJF3XFvhhD1vOA4TZUbYp8XEiJxXgU16HnDxD7pMLv2Tn4UWAAAAAElFTkSuQmCC",
            pillowMode: "I;16", width: 11, height: 9,
            rgb: "AAAA////////////////////////////////5ubm////3t7eKSkp////////x8fH////////3Nzc////////////BQUF////////////09PTPDw8PT09////Kysr////ycnJKSkpysrK////////AgIC////////////////////////////HBwc////XV1d////////JiYmSEhIpKSk////k5OT////////hISE////a2trPj4+////Xl5eHh4e////y8vL////////JycnGBgYNTU1////////QEBA////lZWV4ODg////c3Nzzs7O////Ghoa////////bm5uoKCg////gYGBgoKC8/Pz////PDw8EBAQ7e3tLy8vHh4e////////u7u7"),
        PillowDecodedImage(
            name: "interlaced_palette4", note: "Adam7 4-bit palette",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAsAAAAJBAMAAAFhTfuIAAAAMFBMVEV5MIH/SJb31T5E6hzGySeFB+9bpEUywYLurdfIUkkHyjRrythkmI8oDe+UpTwggOyBh3ghAAAAV0lEQVR42gFMALP/AIkAdADgAEAA97AAeRAAgNAAeZAA+7BOAK2EswBQ1GAA9o+AADOvYAAljmAAZDHwAGixFA8MAABuy6gtNAAA96BRLtBgABnlb7DvUBNqHBPMYXTeAAAAAElFTkSuQmCC",
            pillowMode: "P", width: 11, height: 9,
            rgb: "7q3XhQfvMsGCeTCBlKU8KA3vyFJJxsknyFJJW6RF/0iWW6RF7q3Xa8rY/0iW/0iWxskneTCBIIDseTCBZJiPeTCBIIDsIIDsa8rYW6RFa8rY7q3XeTCBIIDsxskn7q3XlKU8W6RFlKU8ZJiPa8rYB8o07q3X99U+KA3vROocxskneTCBIIDsROoc7q3XROocMsGCB8o0eTCBIIDsa8rYW6RFKA3vIIDsMsGCB8o0eTCBhQfv/0iW99U+lKU8KA3veTCBW6RFB8o099U+KA3vhQfv7q3X7q3XxsknlKU8a8rYW6RFROoc/0iWyFJJlKU8hQfvW6RFIIDsa8rYeTCBlKU8IIDshQfvMsGCW6RFMsGCxsknxsknROocyFJJ/0iWxsknIIDsyFJJ"),
        PillowDecodedImage(
            name: "interlaced_1x1", note: "Adam7 with only the first pass",
            file: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAAHncGNIAAAADElEQVR42mM43C4CAANvAV8aOqLNAAAAAElFTkSuQmCC",
            pillowMode: "RGB", width: 1, height: 1,
            rgb: "w4cU"),
        PillowDecodedImage(
            name: "jpeg_grey", note: "greyscale JPEG",
            file: "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/wAALCAAJAA0BAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/AOU+CX7JP/Hv/oXp/DXv3iLWvgp8Ani0Txz4z0/Sdab7+nW1vNfXFv8AIjjzo7eORodyyoy+YF3g5XIBx7l8Ev8Al3/Cvw9+Hv8AyBB+Ff/Z",
            pillowMode: "L", width: 13, height: 9,
            rgb: "AAAADAwMGRkZJCQkMDAwPDw8SEhIVFRUYmJiZ2dne3t7hoaGi4uLExMTICAgLCwsNzc3RERET09PW1tbaGhod3d3fX19kZGRlJSUqKioKCgoNTU1QUFBTExMWVlZZGRkcHBwfX19h4eHm5ubmpqaq6uru7u7PDw8SEhIVFRUX19fbGxsd3d3hISEkJCQoKCgoaGhuLi4wsLCycnJUFBQXFxcaWlpdHR0gICAjIyMmJiYpKSkqqqqwcHBxMTE2NjY4ODgY2Njb29vfHx8h4eHlJSUn5+fq6urt7e3xcXF0tLS29vb6Ojo9fX1eHh4hISEkZGRnJycqamptLS0wMDAzMzM29vb4uLi8PDw+/v7BgYGjIyMmJiYpKSkr6+vvLy8x8fH1NTU4ODg6enp/f39AgICERERHh4eoKCgrKysuLi4xMTE0NDQ29vb6Ojo9PT0AAAADAwMGBgYJSUlLy8v"),
        PillowDecodedImage(
            name: "jpeg_rgb420", note: "4:2:0 JPEG with partial MCUs",
            file: "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAJAA0DASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDo/CXwk8OfDnR11HWJ7WxtIxj7RcOFRm2M2xB1kfCkhFBJwcc1geIv2mLfS3ittE0izghT7x1yKSedsohGYbdgIeSerNvGDxgiov2kP+Sx+H/+wDB/6UXFeC/D3/kCD8K4skwdTxAw/wBezuq5Umk40o+7CN72vr77Vt5X/uqJ2YrAYDg7KsDmXsI4itilJr2l+SCjy3XLFpyb5t3JJW+Fvb//2Q==",
            pillowMode: "RGB", width: 13, height: 9,
            rgb: "AD1rCkl/GlijHlmnNG2wQn23RYK7T5LGWKfSYa27gL6XndV0h8QhE1KFI2GaJWGnP3vEPne6R3+6aabTZ6nDcbm4h82rhsB0kcBOtthFJmSdMG6pQH67TIjHXpTabKPbda/FgLyieLRcjcZFntA9wd1M49RdPHi0Soe+WJXCYZ3Bda7JeLKzlc+pir1uqsxRwtNH2tVT9tNrijwAUonBYZrHbKXAebesj8+SfL1XjsxFsthR1M9p/MeFkikTsSYryi9Bb6O7gbi9h8KkerNsicBJqtZFwdhC3c9VdzUAmy4ntyxTyzd1xj5+iLuakceJicNLnM45v91J29ZY/8p4nzMMuSQoxzFUrkN3oWOiOiVwhLxbmMlWstJB0NhF79RhfTgArS8Zwyw9yzpjwlGJUx1ZNDF0K1Whmdo0t91K5NJmezQAoSwYwio23C1O0EFvURtPNjVvNUeJNVeeNmaw"),
        PillowDecodedImage(
            name: "jpeg_rgb444_progressive", note: "progressive 4:4:4 JPEG",
            file: "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwXExQaFRERGCEYGh0dHx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh7/wgARCAAJAA0DAREAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABAIG/8QAGAEAAgMAAAAAAAAAAAAAAAAABQYBBAf/2gAMAwEAAhADEAAAAVQOMMYZrms2+Zz/AP/EABsQAAIBBQAAAAAAAAAAAAAAAAMEBQABAjM1/9oACAEBAAEFAgKBXGWTtjUx0FNf/8QAIxEAAQIDCQEAAAAAAAAAAAAABAECAAPBBhAREhUhIjRRcv/aAAgBAwEBPwEYKaQ7KxI00APiXNwd4ldlpFm+q76ol3//xAAkEQAAAwUJAAAAAAAAAAAAAAABAgQABRCh8BESExUiNHGBwf/aAAgBAgEBPwFY/iFNhJQvmlVWtlCldrUnEwyrpnHtx58CH//EACEQAAEDAQkAAAAAAAAAAAAAAAEAAgMQERIhMVFjc5Gx/9oACAEBAAY/Ar8ha0alWRRtA3MT0MlHxD00/8QAHRAAAQMFAQAAAAAAAAAAAAAAARExUQAQIUFh8P/aAAgBAQABPyFLI7MMqCTwUbAkgWB4Pdw//9oADAMBAAIAAwAAABD+j//EABwRAQACAwADAAAAAAAAAAAAAAERQQAhMRBRof/aAAgBAwEBPxAO1Wg30JaDfXReWae1i7GxEktE9z6Hg//EABwRAQEAAgIDAAAAAAAAAAAAAAERITEAQRBxof/aAAgBAgEBPxBXi+xxvam4yyGZCJz1OJAdMpMwsGTN3z7fg//EABwQAQACAwADAAAAAAAAAAAAAAERMQAhQRBRgf/aAAgBAQABPxAUUKQmXsRDYvMsGgrtlsdWsIdbPBej5n//2Q==",
            pillowMode: "RGB", width: 13, height: 9,
            rgb: "Az+FBFB0DV2YHV2lQWSkPm7AUYjLSpDMa5TwW7DniLPgjsn/mMkAIUSWJ1WQOGW2Q3WqSoqWR5DdX57UbKLIa7DXfsLxccoOkc8KiuQiJHGBNXG3RmvDSnvAUJzObZ7ZbJ/wasz7i8UAmdMMtdUYpe4ZuftPOn6/THbCVZzIVaz8VarJg7H/gMflm8ABpt0QpdootfQnxfAu2QVAX4fEXJjUY6HUd7bVdMPkpMMQl9QNrOMMsN0oxf9DvgM6yhxZ2hZeTpHVaMz9hq7znbsBh98opMUEn+0nuOhEwxJIyAJN1SFE8Rxe7zNuesHrhrrsgdQAnsIYp+smwfU7uf9hzgs1yxpO3x9S7jB49jd8B0ZljLsLotwOqtMtuvogqvYkwQVC1RVE5xZN7SVj/zJdBTaFE06KJ1mYotoXrewptPMmwwFA1QdI2htR5yNj9S5pADt3DEiEGFSQJGCcL2un"),
        PillowDecodedImage(
            name: "jpeg_cmyk", note: "CMYK JPEG (Adobe, inverted)",
            file: "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwADAgIDAgIDAwMDBAMDBAUIBQUEBAUKBwcGCAwKDAwLCgsLDQ4SEA0OEQ4LCxAWEBETFBUVFQwPFxgWFBgSFBUU/8AAFAgACQANBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwDqPjb+1t/x8f6b6/xV5l4i+MPjD4yeKv8AhG/BGk6h4m1qbB+zafGX8pC6x+bK33Yog0iBpHKou4bmArnPAX7Jfj74x20fiL4j6rcfDXwu0zqdMubZxrVyqSIGAhkAFurr5oWSTcwKK3kujKx+vfG/xb/1n779a8C8O6L8a/j6kut+BvBmoatoq/c1G5uIbG3uPndD5MlxJGs21onVvLLbCMNgkZ9Y8O/sAaHEksvxW+I+oXOtS/cs/BsiQ29th3BzNcQu025fKP8Aq4th3j5xhq+jvDvjj4efs/JLpHw+8P6f4ZtJv+PiS2y9xc4d2Xzp3LSzbTLJt8xm2hsLgcVwOnWXjXx+HvtD0a4u7IfduZJEgjk5YfI0jKHwVYHbnBHOMivDPjb/AMvH413H/BMD/k1jxj/2Od3/AOkNjXcfG3/l4/GuF8b/APLSv3D+IX/IbP41sfEL/kNn8a+F/iF/yGz+NfcXiH/j9P41/9k=",
            pillowMode: "CMYK", width: 13, height: 9,
            rgb: "/sCG7bZ72qBny5Zhu4VIrHJGnHE2j1opgE8hd0UNaDoPVy0BVie346xq0phewYxUsnNFo3VAlGQshk4meEwYaT4PYzENUCezSiCmPBObxYxftoVLpnJAmGgxiVshfUQfb0QSYjQFVyu4RySsRhecOg6OLAiMrHRAnmw1j14ogkwedEMVaEALWzEAUCK1RRmpOxGNMAmOJQZ6IJNsk2UthlEhd0oaaz4RXjMHUyS2SByrPhaVNxCJKAKEI5hxGIluEoBdfUwbcEESYzcJWCu6TCCqQheeNxGRLgiIJJ15HJlwE3lcDn1VBW5KZzkMWjEDTyKxRByfOhWWMQiLJwB5HpVtFYVmEHhWCHhWAmJI+beAUym1SR6sPhaWNA2QKwKDIplxGY1oEX9fDHNRAWhM+ryA5axx1p1mQRifNxCSLQeEJJx3HJBsFINiDHdWBmxN/8OH7rR53KNqzJRcvIZQ"),
    ]

    /// 9x6 RGB with a white row and a black column, so the kernel's negative lobes clamp.
    static let resizeSource = "IuyDhycij8cLRTZTAAAArHlNkmvmaHzJg6evi6ypNrgi0WSRvle7AAAAsAmKyL34ksatpkuW////////////////AAAA////////////////cHrXDdii/qhNx5fEAAAA+ZEoP5BBA1vROfksOEvXx1irfVia1UaAAAAARXIanID9f9f9BTSURDgI4QQD6R7rMcW+AAAAJe8bg52Cqog/d1Cv"
    static let resizeSourceWidth = 9
    static let resizeSourceHeight = 6
    static let resizes: [PillowResize] = [
        PillowResize(width: 9, height: 6, rgb: "IuyDhycij8cLRTZTAAAArHlNkmvmaHzJg6evi6ypNrgi0WSRvle7AAAAsAmKyL34ksatpkuW////////////////AAAA////////////////cHrXDdii/qhNx5fEAAAA+ZEoP5BBA1vROfksOEvXx1irfVia1UaAAAAARXIanID9f9f9BTSURDgI4QQD6R7rMcW+AAAAJe8bg52Cqog/d1Cv"),
        PillowResize(width: 4, height: 3, rgb: "f6xpdlVWiViKpaHMqM3SsI6Rl4Z6jcvCjz95ekx5Rnw/ZoKj"),
        PillowResize(width: 3, height: 6, rgb: "ZIo5WEQ7hITBhJZ0gjJ1qI+3////rKys////fKuikGRFOJpokFGwZENKXIrJqClZOX9ag4pn"),
        PillowResize(width: 9, height: 2, rgb: "jdLAe6xv0LSAs4GyAAAA0XaRurTik7bTqautY2Slo3mIzW+rrZa0AAAAga44h5yoeKa+TYeL"),
        PillowResize(width: 20, height: 6, rgb: "Gf6MLtJ4YWVIiygelnoLkMcKdZorT0ZRJhc+AAALGhIFelUpsn1eqHaukWvne3DkaXrMb429f6Kyhqutk6u2f66XS7lNOrUjhY1Sz2WP3l20ylzBgD2EFQ8ZEgAKdQBUuxiay3TYyL/4r9TdlMqxlpmfo1qYqD+U////////////////////////////////ra2tHBwcHBwcra2t////////////////////////////////eXHcYYbSIbi8Fdmci8Vq+6lN/6aC15/DgWWTEREiIg8AuGIU9pgrnJwvPI9DFG6QBFjQE5KeMuVCPv8dK0rbSk3Sl1O9yFipolqhfVibp1SV10uInC1YIwQUAA8AI04AUHgufnqinYH/m7P/hNj/T6DWE0mhACWKNT0IVzEFphYA5wMO+wSB6xzooW7zQ8HMFJCDAxYfAR8AEqoFLvQlXMxehZyCnpFjqos/mnJkflehcku6"),
        PillowResize(width: 23, height: 17, rgb: "C/+JHeZ6TIhYhCQsmTQRlZoAhtEAaZ4eRkxCJh0/BAEZAAAAPC0Nj24vsohfpXeoj2PhfGTpaWvXZXvIcZe8fa6zgrauGv6OKOB/To1ZfDQskUEUlpgKjsUOdpcuVU5QMyJJCgQcAAAAOygPj2I1s3xmqnatlWzjg3Dpb3bVaoLEdpW5gqSwhqmsPOCXQcyGTJdXXVwidl4UlYsho580ln5WekxyUShiGAsmAAAANxgTjDpBtFZ1sm65o4HpkY3oeZHMcpG3fYmriYKjjn+gbrmnZ7STTqdZOpYbVYgalX1FwG9swmCOrU6ifDSEKxUzAAAAMgUZiQlUtyeMv2jKuaHyprfoi7jCgKioin6cllmWmkuSnq28kbCpZ7xwQMQ1WrA8pIZy2Weg5GS+1WfKoFCiOyM+AAAAMgMjkQhwwimpz3ncz7/5v9nspdfFmcGrooihrFidr0aa0dHayNPOrt2sleSJotaQzLi266PV86Pk7ajnuoi6RTVFAAAAOx84qVah237Z6bP27uL/5vP62PTe0OTN1LrL2ZbN2onM+fr29/n08/rr7vrj7/bm9e/z+er8/Or+/Oz7y8DLSkdJAAAARkFJxLLL9uH//u////z////////5///0/vD3/uP7/t/8+PX/9/f/8vv/7///8//+/f/2///y///2/v/8zc7PSUpMAAAATkxG1dHC///u+P3r7vjq6vPx6fD76vL+7f728P/v8P/syMDyv8fwodzrhvTioPfP4eyz/+Kp/+LF8uDmuLHEP0BNAAAAV0Ao4rF9/92b1NmToM6TiryzganegrHmk+LAo/+aqP+NjYLgfZDaSbTLHN21SuGWvclr/7Zd/7WP4bLJoYiyNTFMAAAAWC4I4YIx+6hCqqk/VJ5ILYV9GmbCGnLMNbyITv5FVv8uZWLdWW/WNZTDF7ypQsCIp6pd6ZZN8ZN83I2xoGicOCVFAAAASSYAvmoM2Iwgk480R4ZRIneFDGTHBW7OEqSBINM3JtweRFToSVzhU3TOYo61eJKalYZ6rnlpznCA4WSZs0d/Rhc3AAAAKCIAelsEmXkoiH1obn6mW4vHRprsMp7qHJKjC4hiCH9LLkzjQU/cd1fLsmC2tWOnkWKcgV6RrVeQ20yLujZqThAtAAAACiMAOlkEX3Y3gHibl33wlqH8h8v/acn3NYTBCUaSAC+BJ0SpQEOkhD+VzjyG1TyMqT+mjkazoFWstGGYk05vPhkvAAAAAC0AH3QEQpQ2c4yXm4XopqLmn8jYhsHNUHi2IjakFx6dLUBORjpLiCxB0x065xpc1x6mvjHWnmPUeZO4UIGHHy45AAAAAz8AGaMIOMkwZbF4jZSwn5qlpqmHmp+BdW6VVESoSjSvND0LTDUKiSAD0gkD8gM4+Ail4yTun3DxTbrRHqiZCD1BAAAABkwAGMYMM/ErXM1egJ+DmJNyqI9LpoNJj2h7eFOpcEm5NTwATTMAihoA1AAA+AAr/wCm8B74nnP8PcjZDLafAENDAAAABlEAFtMNL/8qV9dWfaR1l5Fhqoc1rHo0mWVyhVWrfk6/"),
        PillowResize(width: 1, height: 1, rgb: "iISJ"),
        PillowResize(width: 1, height: 6, rgb: "aG1jjmuI3d3db4prbFuObmhd"),
        PillowResize(width: 9, height: 1, rgb: "d5uwkJB5z5GVrYyyAAAAqJNjoKfEhq3HfJmc"),
        PillowResize(width: 2, height: 40, rgb: "Vm4rcWqQV24scmqRWW4vc2qRW24zdWqSX204eWiTYmo/fGaTZ2dIgWOUbWZSh2GWdGZejmGYfWlrlWSciHJ4nm2jloKKqn6uqJefuZS7uq60yKzKy8PH1cLW19PV3dPd3dzd3tze2tza1dvU0NXPw9HAwcm/q8KmsLqska+KnqmZd5xxkJqJY4xdh42AVYJTgoF9T3tVgHV9TnZegGiAT3NtgV2DU3F9glKGVnCLgkqHWXCTgkWEWnGUgUJ/XHSPgEJ3XXmFf0JwXn95fkRpX4RufkVjYIhlfUZfYYxefUZcYY1afUZaYo9YfEZZYo9W"),
        PillowResize(width: 40, height: 2, rgb: "j9bJjtTFjNG9h8mtf7+YebSBeq1whqtsnK9ttbRzybZ70rKE1KuV0aGox5S1tIKzkGaVWkFjJRwtBAQHCAMCMxgbcTlFrVxx0neS3Iqr15rAyqfSvbHftbflqrrloLngl7fZk7bSlbTJnLC/o661qKuuqqqrrKqpXGKoX2OnZWWkcGmdgG+VkXWMoXmIrXiLunWTxHCey26nzXGtzX62yY6+wJm/rpe1jH2WW1BmKSIyBwQLAgYAGioAQV4PaJAkgq85i7ZRjbFti6aKiJ2hhpywhJ+6gaO/fabAd6a9bZ+zYZelVo6XT4iNSoWISIOF"),
        PillowResize(width: 12, height: 4, rgb: "QNqSUoBBfmoXo5k8dkZ0FgokMxISslBvp4DkgZPVeY2vjX6i29zls+zBv+O4+8bZ+ND2PzlDQSg297Pd5uTt0unm0NjX3cbMaXLmWp/OhbGa2Jhz4ouzPCI8NykAxJg7dZKBSI7aNKK9L8BUMz1QpCU54xpxtjjWdpOyHik1AToAMccnhpWppKaXgYKNSDer"),
        PillowResize(width: 9, height: 3, rgb: "atefdH02t6JjjVqTAAAAtlSBu6H3ka7Cp4WyrrHtgeTG8MCl6bXZAAAA6auMpcOzgrfrj9uUPEB2vDlauUCzhoSgAAAARKwSgYqtf6KgNVGQ"),
        PillowResize(width: 8, height: 2, rgb: "ic64jK9u1ayaVj5fbDZBz6fSmbjapqywaGahrnaOz4O6V0xjPVoNjauIfKTAUYqQ"),
        PillowResize(width: 7, height: 3, rgb: "aMKGlI5EnnOHIQwbu2yqo67goI+znr7msNe08rfHNSQn1rOUjb3WitOpWD5uwjiBl26tEiUMVqBChZioRWSS"),
        PillowResize(width: 5, height: 5, rgb: "UJhPfXAtOBwkmHCzeIy6oNCcz6C5Xi1b17Tly7TJqNzk5+TGdmJXvMekj+C9XGnBsWmHTyoccYSOJYuukx4msUm6DGIrb7JiiWmP"),
    ]

    /// Pillow's resizes of RGBImage.pattern(width: 3, height: 150): a tall strip, whose
    /// vertical pass runs first when the height shrinks much more than the width.
    static let tallPatternResizes: [PillowResize] = [
        PillowResize(width: 6, height: 40, rgb: "DgeTFweTKwiTQQmTVQqTXgqTNgd+Pwh+Uwt+aQ1+fRB+hhF+YAaAaQmAfQ2AkxOApxeAsBqAiQaAkgmAphCAvhiA2R6A5SGAsQaAwAqA3xKA0hyAmiWAgCqA9gWAzwqAfRWAQiGAJSyAGDGAdQWAXwuAMBiAKCaARzOAVjmAIwWALwyASRuAYSuAdTmAfkCAVwR/YAx/dB1/ii9/nkF/p0l/gAR/iQ1/nSB/tTR/z0d/21B/qQR/tw5/1CN/0Dl/rU5/nFh/5QN/3A5/yiZ/jz5/NFV/CWB/kQN/cw9/Myh/IEN/P1x/TWh/GQN/JQ9/QCp/WEh/bGN/dW9/TwJ/WBB/bC1/gk1/lmp/n3h/eAJ/gRF/lTB/rFJ/xHB/0H9/oAKArRGAxzKAzVaAvHiAtYeA2AGA2BKA2DWAn1uAN36ABY+ArAGAiBOAOjiAHWCAN4WAQ5eAEwGAHhOANzuAT2WAZIyAbZ6ARgCATxSAYz2AeWmAjZOAlqeAbwCAeBSAjECAom6At5qAwK6AmACAoxWAuUOAz3OA4qGA67aAywCA0RaA3kaAt3iAYqeAOb6AxAB/mxZ/Rkh/H31/LK9/MsZ/EgB/Gxd/Lkp/RIJ/WrV/Zc1/PQB/Rhh/W01/cYd/hbx/jtZ/ZwB/cBh/hFB/mox/rsN/t91/kAB/mRl/rlJ/xpB/38p/6uV/ugB/xhl/4FV/w5V/ddF/Ue1/+AB/xhp/Xlh/JZp/Jdh/JfV/SAB/QRt/MFt/Np9/UN5/Xfx/LQCAORuAUVyAaKSAfOqAhf+AXgCAZyCAe2uAkYOApWKArlOAiACAkSKApXWAvXOA2B2A5ACAsACAwCOA4XeAz3qAiyqAawWA7gCA1yOAp3mAbH6ALzKAEg2AYQCAUCSAKnyAJ4OARjiAVBWAIwB+LyV+SH9+YIh+dD9+fR1+VQCTXiWTcoKTiI2TnEaTpSST"),
        PillowResize(width: 3, height: 40, rgb: "EQeTNgiTWwqTOQd+Xgx+gxF+YweAiBCArRmAjAeAsRSA4SCAtQeA4xeAiCiA6QeAWRuAHS+AbgeAIx+AUjeAJweAViOAez6AWgd/fyZ/pEZ/gwd/qCp/101/rQd/2i5/oVV/4Qd/tTJ/F1x/iAd/HjV/SWR/HQd/TTl/cmt/Ugd/dz1/nHN/ewd/oEF/zHp/pAeAz0SAt4KA1weAyEiAFYmAoQeAH0yAQJGAFweAQ1CAapiASQeAblOAk6CAcgeAl1eAvaeAnAeAxFuA6K+AzAeA1l+ARraAtwd/J2J/Mb5/FQd/OWZ/YcV/QAd/Zmp/i81/agd/j25/tNR/kwd/unF/5tx/vQd/3nV/XON/6Ad/NXl/Jut/Rgd/Ln1/WfJ/MQeAXYCAgv+AYQeAhoSAq1eAiweAsIiA4ACAtAeA5IyAdRCA5geAi4+AHBiAXAeAIJOAUB+AJwd+VZd+eid+WAeTfZuToi6T"),
        PillowResize(width: 2, height: 40, rgb: "HAeTUAmTRAl+eA9+bgqAohaAlwuA0hyAyQyAqiOAuQ2ALCmAUg6APzCANhCAcDaAZRF/mTx/jhJ/yEJ/vxN/t0l/2BR/TU9/YRV/NlV/LBZ/Z1x/XRh/kWJ/hhl/vmh/tBqAwW+A2RuAU3WAchyAL3yAJR6AXoKAVB+AiIiAfSCAsY6AqSGA3ZWA1SKAeZuAhCN/KKF/ICR/VKh/TCZ/gK5/dSd/qbR/nyh/2Lt/zil/i8F/qip/JMh/PCx/Sc5/PyyAd9eAbDWAoGyAljqA0TWAyTuAnkGAyzuAP0eART2APU2ANj5+b1R+Yz+Tl1qT"),
        PillowResize(width: 1, height: 149, rgb: "Jgf6MQj4PAkERwoJUgv9XQz0aA0AdA4Nfw//ihDwlREAoBIRqxP/thTrwRUAzRYW0Rf/kRjmoBkAoRocTRv/XRzhaR0Aah4hKx//OyDbRiEAUSInXCP/ZyTUciUAfSYuiCf/kyjOnykAqio0tSv/wCzHzS0AxS47jS//njDArDEAmzJDVDP/aTS5XDUAKTZKOjf/RTixUDkAWzpSZjv/cTyqfD0Ahz5Zkj//nUCiqEEAs0JhvkP/zkSatUUAjEZpnUf/rUiSiEkAU0pxakv/TEyKKE0AOE55Q0//TlCCWlIAZVOCcFT/e1V5hlYAkVeKnFj/p1lxsloAvVuSyFz/2V1psF4Al1+armD/c2FhVGIAaWOiPGT/KGVZN2YAQmeqTWj/WGlSY2oAbmuxeWz/hG1KkG4Am2+5pnD/sXFDvHIAx3PA2HT/oHU7mHYArHfHYHj/VXk0YnoAc3vOOHz/NH0uQX4ATH/UV4D/YoEnbYIAeIfbgz//jjYhmTgApDnhrzr/uzscxjwA1D3mlD7/mD8WpEAAskHrXEL/YUMRbkQALUXwNEb/P0cNS0gAVkn0YUr9bEsJd0wEgk34jU76"),
    ]

    /// A single pixel (200, 10, 77) resized to 5x3.
    static let onePixelTo5x3 = "yApNyApNyApNyApNyApNyApNyApNyApNyApNyApNyApNyApNyApNyApNyApN"

    static let orientedJPEGs: [PillowOrientedJPEG] = [
        PillowOrientedJPEG(
            orientation: 1, file: "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAEAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAADAAUDAREAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDif2fPhh4A/wCEJX/ilbX+H+E+h96/qA/nM//Z",
            storedWidth: 5, storedHeight: 3, storedRGB: "ADx4DEiEGFSQJGCcMW2pFFCMIFyYLGikOHSwRIC8KGSgNHCsQX25TIjEWZXR",
            uprightWidth: 5, uprightHeight: 3, uprightRGB: "ADx4DEiEGFSQJGCcMW2pFFCMIFyYLGikOHSwRIC8KGSgNHCsQX25TIjEWZXR"),
        PillowOrientedJPEG(
            orientation: 2, file: "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAIAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAADAAUDAREAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDif2fPhh4A/wCEJX/ilbX+H+E+h96/qA/nM//Z",
            storedWidth: 5, storedHeight: 3, storedRGB: "ADx4DEiEGFSQJGCcMW2pFFCMIFyYLGikOHSwRIC8KGSgNHCsQX25TIjEWZXR",
            uprightWidth: 5, uprightHeight: 3, uprightRGB: "MW2pJGCcGFSQDEiEADx4RIC8OHSwLGikIFyYFFCMWZXRTIjEQX25NHCsKGSg"),
        PillowOrientedJPEG(
            orientation: 3, file: "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAMAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAADAAUDAREAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDif2fPhh4A/wCEJX/ilbX+H+E+h96/qA/nM//Z",
            storedWidth: 5, storedHeight: 3, storedRGB: "ADx4DEiEGFSQJGCcMW2pFFCMIFyYLGikOHSwRIC8KGSgNHCsQX25TIjEWZXR",
            uprightWidth: 5, uprightHeight: 3, uprightRGB: "WZXRTIjEQX25NHCsKGSgRIC8OHSwLGikIFyYFFCMMW2pJGCcGFSQDEiEADx4"),
        PillowOrientedJPEG(
            orientation: 4, file: "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAQAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAADAAUDAREAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDif2fPhh4A/wCEJX/ilbX+H+E+h96/qA/nM//Z",
            storedWidth: 5, storedHeight: 3, storedRGB: "ADx4DEiEGFSQJGCcMW2pFFCMIFyYLGikOHSwRIC8KGSgNHCsQX25TIjEWZXR",
            uprightWidth: 5, uprightHeight: 3, uprightRGB: "KGSgNHCsQX25TIjEWZXRFFCMIFyYLGikOHSwRIC8ADx4DEiEGFSQJGCcMW2p"),
        PillowOrientedJPEG(
            orientation: 5, file: "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAUAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAADAAUDAREAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDif2fPhh4A/wCEJX/ilbX+H+E+h96/qA/nM//Z",
            storedWidth: 5, storedHeight: 3, storedRGB: "ADx4DEiEGFSQJGCcMW2pFFCMIFyYLGikOHSwRIC8KGSgNHCsQX25TIjEWZXR",
            uprightWidth: 3, uprightHeight: 5, uprightRGB: "ADx4FFCMKGSgDEiEIFyYNHCsGFSQLGikQX25JGCcOHSwTIjEMW2pRIC8WZXR"),
        PillowOrientedJPEG(
            orientation: 6, file: "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAYAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAADAAUDAREAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDif2fPhh4A/wCEJX/ilbX+H+E+h96/qA/nM//Z",
            storedWidth: 5, storedHeight: 3, storedRGB: "ADx4DEiEGFSQJGCcMW2pFFCMIFyYLGikOHSwRIC8KGSgNHCsQX25TIjEWZXR",
            uprightWidth: 3, uprightHeight: 5, uprightRGB: "KGSgFFCMADx4NHCsIFyYDEiEQX25LGikGFSQTIjEOHSwJGCcWZXRRIC8MW2p"),
        PillowOrientedJPEG(
            orientation: 7, file: "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAcAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAADAAUDAREAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDif2fPhh4A/wCEJX/ilbX+H+E+h96/qA/nM//Z",
            storedWidth: 5, storedHeight: 3, storedRGB: "ADx4DEiEGFSQJGCcMW2pFFCMIFyYLGikOHSwRIC8KGSgNHCsQX25TIjEWZXR",
            uprightWidth: 3, uprightHeight: 5, uprightRGB: "WZXRRIC8MW2pTIjEOHSwJGCcQX25LGikGFSQNHCsIFyYDEiEKGSgFFCMADx4"),
        PillowOrientedJPEG(
            orientation: 8, file: "/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAgAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAADAAUDAREAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDif2fPhh4A/wCEJX/ilbX+H+E+h96/qA/nM//Z",
            storedWidth: 5, storedHeight: 3, storedRGB: "ADx4DEiEGFSQJGCcMW2pFFCMIFyYLGikOHSwRIC8KGSgNHCsQX25TIjEWZXR",
            uprightWidth: 3, uprightHeight: 5, uprightRGB: "MW2pRIC8WZXRJGCcOHSwTIjEGFSQLGikQX25DEiEIFyYNHCsADx4FFCMKGSg"),
    ]
}

// The generator (Python 3, numpy, Pillow):
//
// # Writes PillowReferenceImages.swift: tiny PNG/JPEG files in layouts the golden set does
// # not cover, each with the pixels Pillow decodes (Image.open(f).convert("RGB")), plus
// # bicubic resize vectors (Image.resize(size, Image.BICUBIC)) and EXIF-orientation JPEGs
// # with Pillow's ImageOps.exif_transpose result. Run once with Pillow 13.0.0.
// import base64, io, struct, sys, zlib
// import numpy as np
// from PIL import Image, ImageOps, features
//
// rng = np.random.default_rng(20240611)
//
// def chunk(kind, data):
//     return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
//
// def pack_row(samples, depth):
//     """samples: flat list of ints for one row (all channels), packed big-endian at depth."""
//     if depth == 16:
//         return b"".join(struct.pack(">H", s) for s in samples)
//     if depth == 8:
//         return bytes(samples)
//     out, acc, bits = bytearray(), 0, 0
//     for s in samples:
//         acc = (acc << depth) | s
//         bits += depth
//         if bits == 8:
//             out.append(acc); acc, bits = 0, 0
//     if bits:
//         out.append(acc << (8 - bits))
//     return bytes(out)
//
// ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
//
// def png(samples, depth, color_type, extra=b"", interlaced=False):
//     """samples: int array [h, w, channels]."""
//     h, w, _ = samples.shape
//     raw = bytearray()
//     if interlaced:
//         for x0, y0, dx, dy in ADAM7:
//             sub = samples[y0::dy, x0::dx]
//             if sub.shape[0] == 0 or sub.shape[1] == 0:
//                 continue
//             for row in sub:
//                 raw += b"\x00" + pack_row(row.reshape(-1).tolist(), depth)
//     else:
//         for row in samples:
//             raw += b"\x00" + pack_row(row.reshape(-1).tolist(), depth)
//     ihdr = struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlaced else 0)
//     return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra
//             + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))
//
// def random_samples(h, w, channels, depth):
//     return rng.integers(0, 1 << depth, (h, w, channels))
//
// def with_extremes(samples, depth):
//     flat = samples.reshape(-1)
//     flat[:4] = [0, (1 << depth) - 1, 255 if depth == 16 else 0, 256 if depth == 16 else 1]
//     return samples
//
// palette = rng.integers(0, 256, (16, 3))
// plte = chunk(b"PLTE", bytes(palette.reshape(-1).tolist()))
// trns = chunk(b"tRNS", bytes([0, 64, 255, 10]))
// colour_management = (chunk(b"gAMA", struct.pack(">I", 100000))
//                      + chunk(b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000)))
//
// cases = []
// def add(name, data, note):
//     cases.append((name, data, note))
//
// add("grey8", png(random_samples(5, 7, 1, 8), 8, 0), "8-bit greyscale (L)")
// add("grey1", png(random_samples(5, 7, 1, 1), 1, 0), "1-bit greyscale (mode 1)")
// add("grey2", png(random_samples(5, 7, 1, 2), 2, 0), "2-bit greyscale, scaled by bit replication")
// add("grey4", png(random_samples(5, 7, 1, 4), 4, 0), "4-bit greyscale")
// add("grey16", png(with_extremes(random_samples(5, 7, 1, 9), 16), 16, 0), "16-bit greyscale (I;16), values above 255 clamp")
// add("grey8_trns", png(random_samples(5, 7, 1, 8), 8, 0, chunk(b"tRNS", b"\x00\x05")), "tRNS ignored")
// add("grey_alpha8", png(random_samples(5, 7, 2, 8), 8, 4), "8-bit grey + alpha (LA)")
// add("grey_alpha16", png(random_samples(5, 7, 2, 16), 16, 4), "16-bit grey + alpha, high byte")
// add("rgb16", png(with_extremes(random_samples(5, 7, 3, 16), 16), 16, 2), "16-bit RGB, high byte")
// add("rgba16", png(random_samples(5, 7, 4, 16), 16, 6), "16-bit RGBA, high byte")
// add("rgb8_trns", png(random_samples(5, 7, 3, 8), 8, 2, chunk(b"tRNS", b"\x00\x01\x00\x02\x00\x03")), "RGB with tRNS ignored")
// add("rgb8_colour_chunks", png(random_samples(5, 7, 3, 8), 8, 2, colour_management), "gAMA/cHRM ignored")
// add("palette8_trns", png(random_samples(5, 7, 1, 4), 8, 3, plte + trns), "8-bit palette with tRNS (ignored)")
// add("palette4", png(random_samples(5, 7, 1, 4), 4, 3, plte), "4-bit palette")
// add("palette2", png(random_samples(5, 7, 1, 2), 2, 3, plte), "2-bit palette")
// add("palette1", png(random_samples(5, 7, 1, 1), 1, 3, plte), "1-bit palette")
// short_plte = chunk(b"PLTE", bytes(palette[:3].reshape(-1).tolist()))
// add("palette_index_past_plte", png(random_samples(5, 7, 1, 2), 2, 3, short_plte), "indices past PLTE are black")
// add("interlaced_rgb8", png(random_samples(9, 11, 3, 8), 8, 2, interlaced=True), "Adam7 RGB")
// add("interlaced_rgba8", png(random_samples(9, 11, 4, 8), 8, 6, interlaced=True), "Adam7 RGBA")
// add("interlaced_grey2", png(random_samples(9, 11, 1, 2), 2, 0, interlaced=True), "Adam7 2-bit grey")
// add("interlaced_grey16", png(with_extremes(random_samples(9, 11, 1, 9), 16), 16, 0, interlaced=True), "Adam7 16-bit grey")
// add("interlaced_palette4", png(random_samples(9, 11, 1, 4), 4, 3, plte, interlaced=True), "Adam7 4-bit palette")
// add("interlaced_1x1", png(random_samples(1, 1, 3, 8), 8, 2, interlaced=True), "Adam7 with only the first pass")
//
// def jpeg(image, **options):
//     out = io.BytesIO()
//     image.save(out, "JPEG", **options)
//     return out.getvalue()
//
// smooth = (np.add.outer(np.arange(9) * 20, np.arange(13) * 12)[..., None] + np.array([0, 60, 120])) % 256
// smooth = smooth.astype(np.uint8)
// add("jpeg_grey", jpeg(Image.fromarray(smooth[..., 0], "L"), quality=90), "greyscale JPEG")
// add("jpeg_rgb420", jpeg(Image.fromarray(smooth, "RGB"), quality=90), "4:2:0 JPEG with partial MCUs")
// add("jpeg_rgb444_progressive", jpeg(Image.fromarray(smooth, "RGB"), quality=85, subsampling=0, progressive=True),
//     "progressive 4:4:4 JPEG")
// cmyk = np.concatenate([smooth, smooth[..., :1] // 2], axis=2)
// add("jpeg_cmyk", jpeg(Image.frombytes("CMYK", (13, 9), cmyk.tobytes()), quality=90), "CMYK JPEG (Adobe, inverted)")
//
// def b64(data):
//     return base64.b64encode(bytes(data)).decode()
//
// lines = []
// w = lines.append
// w("// Generated once by the Python script at the end of this file with Pillow %s" % Image.__version__)
// w("// (libjpeg-turbo %s): the expected pixels are what Pillow decodes. Do not edit." % features.version("libjpeg_turbo"))
// w("")
// w("/// A tiny image file and what Pillow makes of it.")
// w("struct PillowDecodedImage: Sendable {")
// w("    let name: String")
// w("    let note: String")
// w("    let file: String")
// w("    let pillowMode: String")
// w("    let width: Int")
// w("    let height: Int")
// w("    /// Image.open(file).convert(\"RGB\"), HWC.")
// w("    let rgb: String")
// w("}")
// w("")
// w("/// Pillow's Image.resize((width, height), Image.BICUBIC) of `PillowReference.resizeSource`.")
// w("struct PillowResize: Sendable {")
// w("    let width: Int")
// w("    let height: Int")
// w("    let rgb: String")
// w("}")
// w("")
// w("/// A JPEG carrying an EXIF Orientation tag, with Pillow's decode before and after")
// w("/// ImageOps.exif_transpose.")
// w("struct PillowOrientedJPEG: Sendable {")
// w("    let orientation: Int")
// w("    let file: String")
// w("    let storedWidth: Int")
// w("    let storedHeight: Int")
// w("    let storedRGB: String")
// w("    let uprightWidth: Int")
// w("    let uprightHeight: Int")
// w("    let uprightRGB: String")
// w("}")
// w("")
// w("/// Base64 throughout, to keep the file small.")
// w("enum PillowReference {")
// w("    static let decodedImages: [PillowDecodedImage] = [")
// total = 0
// for name, data, note in cases:
//     im = Image.open(io.BytesIO(data))
//     mode = im.mode
//     rgb = np.asarray(im.convert("RGB"))
//     total += len(data)
//     w("        PillowDecodedImage(")
//     w('            name: "%s", note: "%s",' % (name, note))
//     w('            file: "%s",' % b64(data))
//     w('            pillowMode: "%s", width: %d, height: %d,' % (mode, im.size[0], im.size[1]))
//     w('            rgb: "%s"),' % b64(rgb.tobytes()))
// w("    ]")
// w("")
//
// source = rng.integers(0, 256, (6, 9, 3), dtype=np.uint8)
// # A few sharp edges so negative lobes and clamping matter.
// source[2, :, :] = 255
// source[:, 4, :] = 0
// src_image = Image.fromarray(source, "RGB")
// w("    /// 9x6 RGB with a white row and a black column, so the kernel's negative lobes clamp.")
// w('    static let resizeSource = "%s"' % b64(source.tobytes()))
// w("    static let resizeSourceWidth = 9")
// w("    static let resizeSourceHeight = 6")
// w("    static let resizes: [PillowResize] = [")
// for size in [(9, 6), (4, 3), (3, 6), (9, 2), (20, 6), (23, 17), (1, 1), (1, 6), (9, 1), (2, 40), (40, 2),
//              (12, 4), (9, 3), (8, 2), (7, 3), (5, 5)]:
//     out = np.asarray(src_image.resize(size, Image.BICUBIC))
//     w('        PillowResize(width: %d, height: %d, rgb: "%s"),' % (size[0], size[1], b64(out.tobytes())))
// w("    ]")
// w("")
// def pattern(width, height, seed=1):
//     """RGBImage.pattern in ImageTestHelpers.swift."""
//     out = np.zeros((height, width, 3), dtype=np.uint8)
//     for y in range(height):
//         for x in range(width):
//             out[y, x] = [(x * 37 + y * 11 + seed) & 0xFF, (x * y + seed * 7) & 0xFF,
//                          250 if (x // 3 + y // 2) % 2 == 0 else 5]
//     return out
//
// w("    /// Pillow's resizes of RGBImage.pattern(width: 3, height: 150): a tall strip, whose")
// w("    /// vertical pass runs first when the height shrinks much more than the width.")
// w("    static let tallPatternResizes: [PillowResize] = [")
// tall = Image.fromarray(pattern(3, 150), "RGB")
// for size in [(6, 40), (3, 40), (2, 40), (1, 149)]:
//     out = np.asarray(tall.resize(size, Image.BICUBIC))
//     w('        PillowResize(width: %d, height: %d, rgb: "%s"),' % (size[0], size[1], b64(out.tobytes())))
// w("    ]")
// w("")
// one = Image.fromarray(np.array([[[200, 10, 77]]], dtype=np.uint8), "RGB")
// w("    /// A single pixel (200, 10, 77) resized to 5x3.")
// w('    static let onePixelTo5x3 = "%s"' % b64(np.asarray(one.resize((5, 3), Image.BICUBIC)).tobytes()))
// w("")
// w("    static let orientedJPEGs: [PillowOrientedJPEG] = [")
// exif_source = Image.fromarray(smooth[:3, :5], "RGB")
// for orientation in range(1, 9):
//     exif = Image.Exif()
//     exif[0x0112] = orientation
//     data = jpeg(exif_source, quality=95, subsampling=0, exif=exif.tobytes())
//     total += len(data)
//     im = Image.open(io.BytesIO(data))
//     stored = im.convert("RGB")
//     upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
//     w("        PillowOrientedJPEG(")
//     w('            orientation: %d, file: "%s",' % (orientation, b64(data)))
//     w('            storedWidth: %d, storedHeight: %d, storedRGB: "%s",' % (stored.size + (b64(np.asarray(stored).tobytes()),)))
//     w('            uprightWidth: %d, uprightHeight: %d, uprightRGB: "%s"),' % (upright.size + (b64(np.asarray(upright).tobytes()),)))
// w("    ]")
// w("}")
// w("")
// w("// The generator (Python 3, numpy, Pillow):")
// w("//")
// for line in open(sys.argv[0]).read().rstrip("\n").split("\n"):
//     w(("// " + line).rstrip())
// open(sys.argv[1], "w").write("\n".join(lines) + "\n")
// print("image bytes", total, file=sys.stderr)
