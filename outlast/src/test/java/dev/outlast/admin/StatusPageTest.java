package dev.outlast.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusPageTest {

    @Test
    void escapesProviderTextSoAnErrorMessageCannotInjectHtml() {
        assertThat(StatusPage.escape("JSON-RPC error -32000: <script>alert('x')</script> & \"more\""))
                .isEqualTo("JSON-RPC error -32000: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;");
    }

    @Test
    void nullIsEmpty() {
        assertThat(StatusPage.escape(null)).isEmpty();
    }
}
