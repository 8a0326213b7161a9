/* Base64 against the RFC 4648 test vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/base64.h"

static void test_rfc4648_vectors(void **state) {
  (void)state;
  const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; i++) {
    char buf[16] = {0};
    size_t n = strlen(in[i]);
    assert_int_equal(cb_base64_len(n), strlen(out[i]));
    cb_base64((const unsigned char *)in[i], n, buf);
    assert_string_equal(buf, out[i]);
  }
}

static void test_high_bytes(void **state) {
  (void)state;
  const unsigned char in[] = {0xff, 0xfe, 0x00, 0x80};
  char buf[9] = {0};
  cb_base64(in, 4, buf);
  assert_string_equal(buf, "//4AgA==");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rfc4648_vectors),
      cmocka_unit_test(test_high_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
