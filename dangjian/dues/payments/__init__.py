"""Online dues payment as an adapter (issue 19 item 5).

- :mod:`.base`: the gateway interface every adapter implements (create an order, parse and
  verify a notification, query, refund) and the values they exchange;
- :mod:`.fake`: the test gateway (HMAC-signed JSON; over HTTP to a fake server in tests, or
  inside this server for the demo when the row has no address);
- :mod:`.wechat`: WeChat Pay API v3 (RSA-SHA256 request and notification signatures,
  AEAD_AES_256_GCM resource decryption), from its public documentation;
- :mod:`.services`: orders, notifications (a paid order becomes one dues payment, exactly once),
  query and refunds.

Which gateways exist, their merchant numbers, addresses and posting account are rows
(``PaymentGateway``) the operator configures; their keys are named by ``secret_ref`` and kept
by the deployment, never in the database.
"""
