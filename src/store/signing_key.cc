// signing_key_hex: the one signing key of a Paperboy database, kept in the store's state so that
// every instance sharing the database signs and verifies the same tokens.
#include "core/signing.h"
#include "store/store.h"

namespace paperboy::store {

Result<std::string> signing_key_hex(Store& store) {
  return store.put_state_if_absent("secret.signing_key", core::generate_signing_key_hex());
}

}  // namespace paperboy::store
