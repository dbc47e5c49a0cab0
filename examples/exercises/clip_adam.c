/* Exercise "clip_adam": gradient clipping (by value, by norm, one global
   norm or one norm per tensor) and the Adam update.
                                                  make exercise EX=clip_adam
   The model keeps every gradient in one block, m->grads (m->n_params
   numbers), in the same layout as the parameters m->params; m->tensors[k]
   (k < m->n_tensors) is a named view into it: m->tensors[k].grad points at
   its rows * cols numbers. So a clipping is a loop over one array. */
#include "exercises.h"
#include <math.h>

/* Clipping by value, each number on its own.
   D2 "REDES RECURRENTES" ("Gradient clipping"): "En Keras, los optimizadores
   cuentan con argumento ... clipvalue (un buen valor es 0.5)"
   rnn.h [clip.value]:  g_i <- min(max(g_i, -v), v)   for every i < m->n_params
   (It can change the gradient's direction; clipping by norm cannot.) */
void my_clip_by_value(rnn_model *m, rnn_real v)
{
    /* TODO */
}

/* Clipping by norm, of one vector g of n numbers.
   D2 "REDES RECURRENTES" ("Gradient clipping"): "clipnorm (un buen valor es 1.0)"
   D4 "3. Arquitecturas LSTM y GRU": "Se mide la norma de los gradientes ... y,
   si es muy grande, se divide el gradiente por una constante."
   rnn.h [clip.norm]:  ||g|| = sqrt(sum_i g_i^2);  if ||g|| > c:  g <- g c / ||g||
   Return ||g|| as it was before clipping (a training loop prints it). */
rnn_real my_clip_norm(rnn_real *g, size_t n, rnn_real c)
{
    /* TODO */
    return 0;
}

/* One norm over every gradient of the model (PyTorch's clip_grad_norm_,
   Keras' global_clipnorm): [clip.norm] on the whole block m->grads.
   Return the norm before clipping. */
rnn_real my_clip_by_global_norm(rnn_model *m, rnn_real c)
{
    /* TODO */
    return 0;
}

/* One norm per tensor (the "clipnorm" of tf.keras 2.4+): [clip.norm] on each
   m->tensors[k].grad (rows * cols numbers) on its own. */
void my_clip_by_tensor_norm(rnn_model *m, rnn_real c)
{
    /* TODO */
}

/* Adam (Kingma and Ba 2015), the optimizer of D0's "Ejemplo en Keras"
   (optimizer='adam'). D3 "Método de retropropagación de errores
   (back-propagation)" gives the plain step  Delta theta_k = -eta dE/d theta_k;  Adam scales
   it per parameter by running means of the gradient and of its square.
   For every i < o->n, with g = grads[i], t the number of this update
   (count it in o->step: 1 on the first call), and o->desc's lr, beta1,
   beta2, eps:
       m1[i] = beta1 m1[i] + (1 - beta1) g          (o->m1: the mean of g)
       m2[i] = beta2 m2[i] + (1 - beta2) g^2        (o->m2: the mean of g^2)
       m^ = m1[i] / (1 - beta1^t),  v^ = m2[i] / (1 - beta2^t)   (bias corrections)
       params[i] -= lr m^ / (sqrt(v^) + eps)
   The moments start at 0 (rnn_optim_init), hence the corrections: after one
   step m1 is only (1 - beta1) g. Only Adam is graded here. */
void my_optim_step(rnn_optim *o, rnn_real *params, const rnn_real *grads)
{
    /* TODO */
}
