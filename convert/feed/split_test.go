package feed

import (
	"strings"
	"testing"
)

func TestElementSpans(t *testing.T) {
	doc := []byte(`<rss><channel><!-- <item>no</item> --><item>a</item>
<item><description><![CDATA[<item>not</item>]]></description></item><item/><?pi <item> ?></channel></rss>`)
	spans := elementSpans(doc, []byte("item"))
	var got []string
	for _, s := range spans {
		got = append(got, string(doc[s[0]:s[1]]))
	}
	want := []string{"<item>a</item>", "<item><description><![CDATA[<item>not</item>]]></description></item>", "<item/>"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("spans %q", got)
	}
	if elementSpans([]byte(`<item><item></item></item>`), []byte("item")) != nil {
		t.Error("nested items were cut")
	}
	if elementSpans([]byte(`<item>open`), []byte("item")) != nil {
		t.Error("an unclosed item was cut")
	}
	if len(elementSpans([]byte(`<items><itemx/></items>`), []byte("item"))) != 0 {
		t.Error("longer names matched")
	}
}
